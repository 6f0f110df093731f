/**
 * A spreadsheet as CSV, one card per row (issue 13): a header row names the columns — title,
 * problem, who it is for, stage, when it was created, and a date per stage it entered
 * (`plan_at`, `do_at`, …) — in English or Swedish, any order, comma or semicolon separated (the
 * CSV export, src/lib/server/export/cards-csv.ts, reads back). Pure: reading stores nothing.
 */
import Papa from 'papaparse';
import { STAGES, type Stage } from '../../board/stages';
import {
	cleanBeneficiary,
	cleanLongText,
	cleanTitle,
	decodeText,
	failure,
	hasMarkup,
	IMPORT_LIMITS,
	parseTime,
	plainText,
	Problems,
	stageFromName,
	type ImportCard,
	type ImportReading
} from './plan';

type Field = 'title' | 'problem' | 'beneficiary' | 'stage' | 'created' | 'labels';

const HEADERS: Record<Field, string[]> = {
	title: ['title', 'titel', 'rubrik', 'name', 'namn'],
	problem: ['problem', 'problem today', 'problemet', 'description', 'beskrivning'],
	beneficiary: ['beneficiary', 'who it is for', 'for whom', 'för vem', 'för vem det är'],
	stage: ['stage', 'steg', 'fas', 'status', 'list', 'lista'],
	created: ['created_at', 'created', 'skapad', 'skapat'],
	labels: ['labels', 'etiketter']
};

const normalise = (header: string) => header.trim().toLowerCase().replace(/\s+/g, ' ');

function stageDateColumn(header: string): Stage | null {
	const match = /^(.+?)[ _](at|date|datum)$/.exec(normalise(header));
	if (!match) return null;
	return stageFromName(match[1]) ?? null;
}

/** A neutralised formula from a spreadsheet export ('=…) reads back as its text. */
const unquoteFormula = (value: string) => (/^'[=+\-@]/.test(value) ? value.slice(1) : value);

export function readCsv(bytes: Uint8Array, boardName = 'CSV'): ImportReading {
	const decoded = decodeText(bytes);
	if (!decoded.ok) return failure(decoded.code, decoded.detail);
	const parsed = Papa.parse<string[]>(decoded.text, { header: false, skipEmptyLines: 'greedy' });
	const quoteError = parsed.errors.find((error) => error.type === 'Quotes');
	if (quoteError) return failure('malformed', String((quoteError.row ?? 0) + 1));
	const [header, ...rows] = parsed.data;
	if (!header || header.length === 0) return failure('empty');
	if (header.length > IMPORT_LIMITS.maxColumns) {
		return failure('too_many_columns', String(header.length));
	}
	const columns = new Map<Field, number>();
	const stageColumns: { stage: Stage; index: number }[] = [];
	header.forEach((name, index) => {
		const key = normalise(name);
		for (const field of Object.keys(HEADERS) as Field[]) {
			if (!columns.has(field) && HEADERS[field].includes(key)) {
				columns.set(field, index);
				return;
			}
		}
		const stage = stageDateColumn(name);
		if (stage) stageColumns.push({ stage, index });
	});
	if (!columns.has('title')) return failure('wrong_format', 'title');
	const cell = (row: string[], field: Field) => {
		const index = columns.get(field);
		return index === undefined ? '' : unquoteFormula(row[index] ?? '');
	};
	const problems = new Problems();
	const cards: ImportCard[] = [];
	for (const [index, row] of rows.entries()) {
		const number = index + 2; // the header is row 1
		const title = cleanTitle(cell(row, 'title'));
		if (!title) {
			problems.add(number, 'no_title', row.join(', '));
			continue;
		}
		if (hasMarkup(title)) {
			problems.add(number, 'html', title);
			continue;
		}
		const stageText = cell(row, 'stage');
		const stage = stageText.trim() === '' ? 'proposed' : stageFromName(stageText);
		if (!stage) {
			problems.add(number, 'unknown_stage', stageText);
			continue;
		}
		const createdText = cell(row, 'created').trim();
		const createdAt = createdText === '' ? null : parseTime(createdText);
		if (createdText !== '' && createdAt === null) {
			problems.add(number, 'bad_date', createdText);
			continue;
		}
		const stageDates: { stage: Stage; at: number }[] = [];
		let badDate: string | null = null;
		for (const column of stageColumns) {
			const text = (row[column.index] ?? '').trim();
			if (text === '') continue;
			const at = parseTime(text);
			if (at === null) badDate = text;
			else stageDates.push({ stage: column.stage, at });
		}
		if (badDate !== null) {
			problems.add(number, 'bad_date', badDate);
			continue;
		}
		if (cards.length >= IMPORT_LIMITS.maxCards) {
			problems.add(number, 'too_many_cards', title);
			continue;
		}
		stageDates.sort((a, b) => a.at - b.at || STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage));
		cards.push({
			title,
			problem: cleanLongText(cell(row, 'problem')),
			beneficiary: cleanBeneficiary(cell(row, 'beneficiary')),
			stage,
			labels: cell(row, 'labels')
				.split(';')
				.map((label) => plainText(label, 40))
				.filter(Boolean)
				.slice(0, 20),
			createdAt,
			stageDates
		});
	}
	if (cards.length === 0 && problems.count === 0) return failure('no_cards');
	return {
		ok: true,
		plan: {
			format: 'csv',
			boardName: cleanTitle(boardName) || 'CSV',
			cards,
			problems: problems.list,
			problemCount: problems.count
		}
	};
}
