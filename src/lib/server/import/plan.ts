/**
 * What an import will create, whatever the source (Trello, Planka, CSV): the preview shows it, and
 * apply.ts writes exactly it. Reading a file never stores anything; a file that cannot be read at
 * all is one `ImportFailure` naming the problem, and rows it cannot read are listed one by one.
 *
 * Shared rules for every importer live here: the limits, decoding bytes (UTF-8 only, a BOM is
 * dropped), JSON parsed without prototype keys, plain text for names (HTML is shown as text by
 * Svelte anyway; tags are not interpreted, and control characters go), stage names mapped.
 */
import { BENEFICIARY_MAX_LENGTH, TITLE_MAX_LENGTH } from '../../board/document';
import { LONG_TEXT_MAX } from '../../board/pdca';
import { STAGES, type Stage } from '../../board/stages';

export const IMPORT_LIMITS = {
	maxBytes: 5 * 1024 * 1024,
	maxCards: 10_000,
	maxColumns: 50,
	maxProblemsListed: 200
} as const;

export const IMPORT_FORMATS = ['trello', 'planka', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportCard {
	title: string;
	problem: string;
	beneficiary: string;
	stage: Stage;
	labels: string[];
	/** ms since epoch; null = when the import runs. */
	createdAt: number | null;
	/** The stages the card went through, with their original times, oldest first. */
	stageDates: { stage: Stage; at: number }[];
}

export type RowProblemCode =
	'no_title' | 'html' | 'unknown_stage' | 'bad_date' | 'not_an_object' | 'too_many_cards';

export interface RowProblem {
	/** 1-based row (CSV, header = row 1) or the card's position in the file. */
	row: number;
	code: RowProblemCode;
	/** The offending value, as plain text, shortened. */
	value: string;
}

export type ImportFailureCode =
	| 'too_large'
	| 'empty'
	| 'encoding'
	| 'malformed'
	| 'wrong_format'
	| 'too_many_columns'
	| 'no_cards';

export interface ImportPlan {
	format: ImportFormat;
	boardName: string;
	cards: ImportCard[];
	problems: RowProblem[];
	/** How many problems there were in all (the list stops at maxProblemsListed). */
	problemCount: number;
}

export type ImportReading =
	{ ok: true; plan: ImportPlan } | { ok: false; code: ImportFailureCode; detail: string };

export function failure(code: ImportFailureCode, detail = ''): ImportReading {
	return { ok: false, code, detail };
}

/** UTF-8 text of the file, or why not. */
export function decodeText(
	bytes: Uint8Array
): { ok: true; text: string } | { ok: false; code: ImportFailureCode; detail: string } {
	if (bytes.byteLength > IMPORT_LIMITS.maxBytes) {
		return { ok: false, code: 'too_large', detail: String(IMPORT_LIMITS.maxBytes) };
	}
	if (bytes.byteLength === 0) return { ok: false, code: 'empty', detail: '' };
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return { ok: false, code: 'encoding', detail: 'UTF-8' };
	}
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	if (text.trim() === '') return { ok: false, code: 'empty', detail: '' };
	return { ok: true, text };
}

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** JSON.parse that drops prototype-polluting keys wherever they are. */
export function parseJson(
	text: string
): { ok: true; value: unknown } | { ok: false; detail: string } {
	try {
		return {
			ok: true,
			value: JSON.parse(text, (key, value: unknown) =>
				PROTOTYPE_KEYS.has(key) ? undefined : value
			)
		};
	} catch (error) {
		return { ok: false, detail: error instanceof Error ? error.message.slice(0, 200) : '' };
	}
}

// Control characters (except tab/newline) never belong in a name or text.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

export function plainText(value: unknown, max: number): string {
	if (typeof value !== 'string') return '';
	return value.replace(CONTROL, '').trim().slice(0, max);
}

export const cleanTitle = (value: unknown) =>
	plainText(value, TITLE_MAX_LENGTH).replace(/\s+/g, ' ');
export const cleanBeneficiary = (value: unknown) =>
	plainText(value, BENEFICIARY_MAX_LENGTH).replace(/\s+/g, ' ');
export const cleanLongText = (value: unknown) => plainText(value, LONG_TEXT_MAX);

/** Markup in a name: never interpreted, but a hostile file's sign, so the row is refused. */
export function hasMarkup(value: string): boolean {
	return /<\/?[a-z!?][^>]*>?/i.test(value);
}

/** Names people give columns/lists for each stage, in Swedish and English (lower case). */
const STAGE_NAMES: Record<Stage, string[]> = {
	proposed: [
		'proposed',
		'förslag',
		'idéer',
		'ideas',
		'backlog',
		'to do',
		'todo',
		'att göra',
		'inbox'
	],
	plan: ['plan', 'planera', 'planering', 'planned', 'planerad'],
	do: ['do', 'gör', 'göra', 'doing', 'pågår', 'in progress', 'pågående'],
	check: ['check', 'studera', 'kontrollera', 'utvärdera', 'review', 'granska'],
	act: ['act', 'agera', 'standardisera?', 'beslut'],
	standard: ['standard', 'done', 'klar', 'klart', 'klara', 'införd'],
	parked: ['parked', 'parkerad', 'parkerat', 'vilande', 'on hold'],
	declined: ['declined', 'avslagen', 'avslaget', 'nej', 'rejected']
};

/** The stage a column/list name means; null when it is none of them. */
export function stageFromName(name: unknown): Stage | null {
	if (typeof name !== 'string') return null;
	const key = name.trim().toLowerCase();
	if ((STAGES as readonly string[]).includes(key)) return key as Stage;
	for (const stage of STAGES) if (STAGE_NAMES[stage].includes(key)) return stage;
	return null;
}

/** ms since epoch of an ISO date or date-time; null when it is not one. */
export function parseTime(value: unknown): number | null {
	if (typeof value !== 'string' || value.length > 40) return null;
	if (!/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) return null;
	const at = Date.parse(value.trim());
	return Number.isFinite(at) ? at : null;
}

export const shorten = (value: unknown) =>
	(typeof value === 'string' ? value : (JSON.stringify(value) ?? '')).slice(0, 80);

/** Collects row problems, keeping the first few for the preview and the total count. */
export class Problems {
	readonly list: RowProblem[] = [];
	count = 0;
	add(row: number, code: RowProblemCode, value: unknown) {
		this.count++;
		if (this.list.length < IMPORT_LIMITS.maxProblemsListed) {
			this.list.push({ row, code, value: shorten(value) });
		}
	}
}

export type JsonObject = Record<string, unknown>;
export const isJsonObject = (value: unknown): value is JsonObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** One card of a board export as its importer reads it (the checks are planCards'). */
export interface SourceCard {
	name: unknown;
	/** The card's stage; undefined when its list is unknown (`listValue` is then reported). */
	stage: Stage | undefined;
	listValue: unknown;
	description: unknown;
	labels: string[];
	createdAt: number | null;
	/** The card's stage dates, in any order. */
	stageDates: { stage: Stage; at: number }[];
}

/**
 * The plan for a board export's cards (Trello, Planka): every row is checked the same way (an
 * object, a title without markup, a known stage, within the card limit) and each problem listed
 * with its row. `read` returns null for a row left out on purpose (an archived card).
 */
export function planCards(
	format: ImportFormat,
	boardName: string,
	rows: readonly unknown[],
	read: (card: JsonObject) => SourceCard | null
): ImportReading {
	const problems = new Problems();
	const cards: ImportCard[] = [];
	for (const [index, row] of rows.entries()) {
		const position = index + 1;
		if (!isJsonObject(row)) {
			problems.add(position, 'not_an_object', row);
			continue;
		}
		const card = read(row);
		if (!card) continue;
		const title = cleanTitle(card.name);
		if (!title) {
			problems.add(position, 'no_title', card.name ?? '');
			continue;
		}
		if (hasMarkup(title)) {
			problems.add(position, 'html', title);
			continue;
		}
		if (!card.stage) {
			problems.add(position, 'unknown_stage', card.listValue ?? '');
			continue;
		}
		if (cards.length >= IMPORT_LIMITS.maxCards) {
			problems.add(position, 'too_many_cards', title);
			continue;
		}
		const stageDates = [...card.stageDates].sort((a, b) => a.at - b.at);
		cards.push({
			title,
			problem: cleanLongText(card.description),
			beneficiary: '',
			stage: card.stage,
			labels: card.labels,
			createdAt: card.createdAt ?? stageDates[0]?.at ?? null,
			stageDates
		});
	}
	if (cards.length === 0 && problems.count === 0) return failure('no_cards');
	return {
		ok: true,
		plan: { format, boardName, cards, problems: problems.list, problemCount: problems.count }
	};
}
