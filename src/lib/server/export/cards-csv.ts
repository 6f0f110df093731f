/**
 * A board's cards as CSV (issue 13, "CSV of cards"), one row per card in board order, with the
 * columns the CSV importer reads back (src/lib/server/import/csv.ts): title, problem, who it is
 * for, stage, and the dates. A cell that a spreadsheet would run as a formula (= + - @ at the
 * start) is prefixed with an apostrophe. Framework-free.
 */
import Papa from 'papaparse';
import * as Y from 'yjs';
import { readColumns } from '../../board/document';
import { readCardDetail } from '../../board/pdca';
import { STAGES } from '../../board/stages';

export const CARD_CSV_COLUMNS = [
	'id',
	'title',
	'problem',
	'beneficiary',
	'stage',
	'cycle',
	'owner',
	'due',
	'follow_up',
	'labels',
	'created_at'
] as const;

function cell(value: string): string {
	return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The CSV text of the board document `state` (a whole Yjs update). */
export function cardsCsv(state: Uint8Array): string {
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, state);
		const columns = readColumns(doc);
		const rows: string[][] = [];
		for (const stage of STAGES) {
			for (const card of columns[stage]) {
				const detail = readCardDetail(doc, card.id);
				rows.push(
					[
						card.id,
						card.title,
						detail?.problem ?? '',
						card.beneficiary,
						card.stage,
						String(card.cycle),
						detail?.owner?.name ?? '',
						detail?.due ?? '',
						detail?.followUp ?? '',
						(detail?.labels ?? []).join(';'),
						card.createdAt > 0 ? new Date(card.createdAt).toISOString() : ''
					].map(cell)
				);
			}
		}
		return Papa.unparse({ fields: [...CARD_CSV_COLUMNS], data: rows }, { newline: '\r\n' });
	} finally {
		doc.destroy();
	}
}
