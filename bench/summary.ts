/**
 * The closing tables: every scenario's figures, and the ratios Tillit/reference and
 * Tillit/Hocuspocus taken in this same run (< 1 means Tillit is faster or smaller).
 */
import { formatTable, type Row } from './lib/report';
import { round } from './lib/stats';

type Column = { key: string; title: string };

function rowsOf(rows: readonly Row[], scenario: string): Row[] {
	return rows.filter((row) => row.scenario === scenario && !('note' in row));
}

function ratio(a: unknown, b: unknown): number | null {
	return typeof a === 'number' && typeof b === 'number' && b > 0 ? round(a / b, 2) : null;
}

/** For each group (e.g. N or board size), Tillit's figure divided by ref's and Hocuspocus's. */
function ratioRows(rows: readonly Row[], groupKey: string, figures: string[]): Row[] {
	const out: Row[] = [];
	for (const group of [...new Set(rows.map((row) => row[groupKey] ?? null))]) {
		const at = (peer: string) => rows.find((row) => row.peer === peer && row[groupKey] === group);
		const tillit = at('tillit');
		if (!tillit) continue;
		const line: Row = { [groupKey]: group };
		for (const figure of figures) {
			line[`${figure} ÷ref`] = ratio(tillit[figure], at('ref')?.[figure]);
			line[`${figure} ÷hocus`] = ratio(tillit[figure], at('hocuspocus')?.[figure]);
		}
		out.push(line);
	}
	return out;
}

function table(title: string, columns: Column[], rows: Row[]): string {
	if (rows.length === 0) return '';
	return `\n${title}\n${formatTable(columns, rows)}\n`;
}

function ratioTable(title: string, rows: Row[]): string {
	if (rows.length === 0) return '';
	return table(
		title,
		Object.keys(rows[0]!).map((key) => ({ key, title: key })),
		rows
	);
}

export function summaryText(all: readonly Row[]): string {
	let text = '';
	const s1 = rowsOf(all, 'S1');
	text += table(
		'S1 propagation (ms), one 1,000-card board, 1 writer at 20 moves/s, N observers',
		[
			{ key: 'peer', title: 'peer' },
			{ key: 'observers', title: 'N' },
			{ key: 'p50', title: 'p50' },
			{ key: 'p95', title: 'p95' },
			{ key: 'p99', title: 'p99' },
			{ key: 'max', title: 'max' },
			{ key: 'missing', title: 'missing' },
			{ key: 'cpuMicrosPerDelivery', title: 'server cpu µs/msg' },
			{ key: 'serverRssMB', title: 'rss MB' },
			{ key: 'loopP99', title: 'loop p99' },
			{ key: 'loopMax', title: 'loop max' }
		],
		s1
	);
	text += ratioTable(
		'S1 ratios Tillit ÷ peer',
		ratioRows(s1, 'observers', ['p50', 'p99', 'cpuMicrosPerDelivery', 'loopP99'])
	);
	const s2 = rowsOf(all, 'S2');
	text += table(
		'S2 many boards (ms): 5 clients per 100-card board, a move per client every 5 s',
		[
			{ key: 'peer', title: 'peer' },
			{ key: 'boards', title: 'boards' },
			{ key: 'p50', title: 'p50' },
			{ key: 'p99', title: 'p99' },
			{ key: 'max', title: 'max' },
			{ key: 'missing', title: 'missing' },
			{ key: 'cpuMicrosPerDelivery', title: 'server cpu µs/msg' },
			{ key: 'serverCpuPercent', title: 'server cpu %' },
			{ key: 'rssPerBoardKB', title: 'KB/board' },
			{ key: 'loopP99', title: 'loop p99' },
			{ key: 'loopMax', title: 'loop max' }
		],
		s2
	);
	text += ratioTable(
		'S2 ratios Tillit ÷ peer',
		ratioRows(s2, 'boards', ['p99', 'cpuMicrosPerDelivery', 'rssPerBoardKB', 'loopP99'])
	);
	const s3 = rowsOf(all, 'S3');
	text += table(
		'S3 joins (ms): socket open → first sync complete, board held loaded by another client',
		[
			{ key: 'peer', title: 'peer' },
			{ key: 'board', title: 'board' },
			{ key: 'joins', title: 'joins' },
			{ key: 'p50', title: 'p50' },
			{ key: 'p99', title: 'p99' },
			{ key: 'bytes', title: 'bytes received' },
			{ key: 'snapshotBytes', title: 'state bytes' },
			{ key: 'loopP99', title: 'loop p99' },
			{ key: 'loopMax', title: 'loop max' }
		],
		s3
	);
	text += ratioTable(
		'S3 ratios Tillit ÷ peer (p99 of a few joins is their slowest one)',
		ratioRows(s3, 'board', ['p50', 'p99'])
	);
	const s4 = rowsOf(all, 'S4');
	text += table(
		'S4 durability (Tillit): "persisted" ack at 200 updates/s (ms), writes per update',
		[
			{ key: 'updates', title: 'updates' },
			{ key: 'ackP50', title: 'ack p50' },
			{ key: 'ackP99', title: 'ack p99' },
			{ key: 'ackMax', title: 'ack max' },
			{ key: 'ackAfterBroadcastP50', title: 'after bcast p50' },
			{ key: 'ackAfterBroadcastP99', title: 'after bcast p99' },
			{ key: 'commitsPerUpdate', title: 'commits' },
			{ key: 'logRowsPerUpdate', title: 'log rows' },
			{ key: 'eventRowsPerUpdate', title: 'events' },
			{ key: 'cardRowsPerUpdate', title: 'card rows' },
			{ key: 'compactions', title: 'compactions' },
			{ key: 'walBytesPerUpdate', title: 'WAL B' },
			{ key: 'loopP99', title: 'loop p99' },
			{ key: 'loopMax', title: 'loop max' },
			{ key: 'burstCommitsPerUpdate', title: 'burst commits' }
		],
		s4
	);
	text += table(
		'S5 browser: 1,000-card board in headless Chromium (ms)',
		[
			{ key: 'peer', title: 'peer' },
			{ key: 'firstCardMs', title: 'first card' },
			{ key: 'interactiveMs', title: 'interactive' },
			{ key: 'heapMB', title: 'JS heap MB' }
		],
		rowsOf(all, 'S5')
	);
	text += table(
		'S6 flow report SQL over generated events (ms)',
		[
			{ key: 'source', title: 'read from' },
			{ key: 'query', title: 'query' },
			{ key: 'cards', title: 'cards' },
			{ key: 'events', title: 'events' },
			{ key: 'p50', title: 'p50' },
			{ key: 'max', title: 'max' }
		],
		rowsOf(all, 'S6')
	);
	const notes = all.filter((row) => 'note' in row);
	if (notes.length > 0) {
		text += '\nNotes\n' + notes.map((row) => `- ${row.scenario}: ${row.note}`).join('\n') + '\n';
	}
	return text;
}
