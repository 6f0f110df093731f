/**
 * Output: one JSON line per figure in bench-results/<timestamp>.jsonl (each line carries the run's
 * machine, Node version and commit), and readable tables on stdout.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { RunInfo } from './machine';

export type Row = Record<string, string | number | boolean | null>;

export class Report {
	readonly file: string;
	readonly rows: Row[] = [];

	constructor(
		readonly run: RunInfo,
		directory: string
	) {
		mkdirSync(directory, { recursive: true });
		this.file = path.join(directory, `bench-${run.startedAt.replaceAll(':', '-')}.jsonl`);
		appendFileSync(this.file, JSON.stringify({ type: 'run', ...run }) + '\n');
	}

	record(row: Row): void {
		this.rows.push(row);
		appendFileSync(this.file, JSON.stringify({ type: 'figure', run: this.run, ...row }) + '\n');
	}

	note(scenario: string, text: string): void {
		this.record({ scenario, note: text });
		process.stdout.write(`   ${scenario}: ${text}\n`);
	}
}

function cell(value: unknown): string {
	if (value === null || value === undefined) return '–';
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return '–';
		if (Number.isInteger(value)) return String(value);
		return Math.abs(value) >= 100
			? value.toFixed(0)
			: Math.abs(value) >= 10
				? value.toFixed(1)
				: value.toFixed(2);
	}
	return String(value);
}

/** A plain aligned table (monospace). */
export function formatTable(columns: { key: string; title: string }[], rows: Row[]): string {
	const body = rows.map((row) => columns.map((column) => cell(row[column.key])));
	const widths = columns.map((column, i) =>
		Math.max(column.title.length, ...body.map((line) => line[i]!.length))
	);
	const line = (cells: string[]) =>
		cells
			.map((text, i) => (i === 0 ? text.padEnd(widths[i]!) : text.padStart(widths[i]!)))
			.join('  ');
	return [
		line(columns.map((column) => column.title)),
		line(widths.map((width) => '-'.repeat(width))),
		...body.map(line)
	].join('\n');
}
