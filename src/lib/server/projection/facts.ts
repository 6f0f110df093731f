/**
 * The one table of a card's projected facts: every `cards` column the sync server keeps equal to
 * the board document, with its SQL type and how it is read from the document. Everything else is
 * derived from this table: the row type (ProjectedRow), the row made from a card (projectRow), the
 * column lists of the commit statement and of the load query, the stored row's mapping back
 * (storedRowFrom) and the equality check (sameRow).
 *
 * Adding a projected field: one line in CARD_FACTS plus a migration adding the column.
 *
 * Values are kept as the SQL side understands them: dates 'YYYY-MM-DD', timestamps ms since epoch,
 * people by id and by the name the document gives them (no foreign keys: a document may name a
 * user who was since deleted).
 */
import type { CardView } from '../../board/document';
import type { CardSummary } from '../../board/pdca';

/** What a card's row is made from: its view, its PDCA summary, and the server's times. */
export interface CardSource {
	card: CardView;
	summary: CardSummary | null;
	/** ms since epoch: when the card entered its current stage (its last event) */
	stageEnteredAt: number;
	now: number;
}

/** The SQL types the projection uses, and the JavaScript value each one holds here. */
interface SqlValues {
	text: string;
	integer: number;
	boolean: boolean;
	/** 'YYYY-MM-DD' (selected as text: pg would turn a `date` into a Date at local midnight) */
	date: string;
	/** ms since epoch */
	timestamptz: number;
	'text[]': string[];
}
export type SqlType = keyof SqlValues;

interface FactColumn<T extends SqlType, V> {
	type: T;
	read: (source: CardSource) => V;
	/** Written when the row is first inserted, never updated (and not compared). */
	insertOnly: boolean;
}

function column<T extends SqlType, V extends SqlValues[T] | null>(
	type: T,
	read: (source: CardSource) => V,
	options: { insertOnly?: boolean } = {}
): FactColumn<T, V> {
	return { type, read, insertOnly: options.insertOnly ?? false };
}

export const CARD_FACTS = {
	title: column('text', ({ card }) => card.title),
	stage: column('text', ({ card }) => card.stage),
	cycle: column('integer', ({ card }) => card.cycle),
	rank: column('text', ({ card }) => card.rank),
	beneficiary: column('text', ({ card }) => card.beneficiary),
	created_by: column('text', ({ card }) => card.createdBy || null),
	// A client's clock in the future (or no time at all) does not date a card: the server's does.
	created_at: column(
		'timestamptz',
		({ card, now }) => (card.createdAt > 0 && card.createdAt <= now ? card.createdAt : now),
		{ insertOnly: true }
	),
	stage_entered_at: column('timestamptz', ({ stageEnteredAt }) => stageEnteredAt),
	// The PDCA facts (DESIGN.md §2), so follow-up lists, the inbox, the standards library and
	// reports query them without opening documents.
	proposer_id: column('text', ({ summary }) => summary?.proposer?.id ?? null),
	proposer_name: column('text', ({ summary }) => summary?.proposer?.name ?? null),
	owner_id: column('text', ({ summary }) => summary?.owner?.id ?? null),
	owner_name: column('text', ({ summary }) => summary?.owner?.name ?? null),
	follow_up: column('date', ({ summary }) => summary?.followUp ?? null),
	due: column('date', ({ summary }) => summary?.due ?? null),
	decision: column('text', ({ summary }) => summary?.decision ?? null),
	labels: column('text[]', ({ summary }) => summary?.labels ?? []),
	affected_user_ids: column('text[]', ({ summary }) => summary?.affectedIds ?? []),
	pending_input_user_ids: column('text[]', ({ summary }) => summary?.pendingInputIds ?? []),
	support_what: column('text', ({ summary }) => summary?.support?.what ?? null),
	support_from: column('text', ({ summary }) => summary?.support?.fromWhom ?? null),
	support_raised_by: column('text', ({ summary }) => summary?.support?.raisedById ?? null),
	support_open: column('boolean', ({ summary }) => summary?.support?.open ?? false),
	end_reason: column('text', ({ summary }) => summary?.endReason ?? ''),
	standard_effective_date: column(
		'date',
		({ summary }) => summary?.standard?.effectiveDate ?? null
	),
	standard_review_date: column('date', ({ summary }) => summary?.standard?.reviewDate ?? null),
	standard_owner_id: column('text', ({ summary }) => summary?.standard?.owner?.id ?? null),
	standard_owner_name: column('text', ({ summary }) => summary?.standard?.owner?.name ?? null),
	standard_text: column('text', ({ summary }) => summary?.standard?.text ?? ''),
	adopted_from_board_id: column('text', ({ summary }) => summary?.adoptedFrom?.boardId ?? null),
	adopted_from_card_id: column('text', ({ summary }) => summary?.adoptedFrom?.cardId ?? null)
} as const;

type Facts = typeof CARD_FACTS;
export type FactName = keyof Facts;

/** One `cards` row as the document says it should be (keys are the column names). */
export type ProjectedRow = { id: string } & { [K in FactName]: ReturnType<Facts[K]['read']> };

/** A `cards` row as stored: the projected columns plus its deletion mark. */
export interface StoredRow {
	row: ProjectedRow;
	deleted: boolean;
}

export const FACT_NAMES = Object.keys(CARD_FACTS) as FactName[];

export function factType(name: FactName): SqlType {
	return CARD_FACTS[name].type;
}

export function isInsertOnly(name: FactName): boolean {
	return CARD_FACTS[name].insertOnly;
}

export function projectRow(source: CardSource): ProjectedRow {
	const row: Record<string, unknown> = { id: source.card.id };
	for (const name of FACT_NAMES) row[name] = CARD_FACTS[name].read(source);
	// Built from the table the type is derived from: every key is there with its read's type.
	return row as ProjectedRow;
}

function sameValue(a: unknown, b: unknown): boolean {
	if (Array.isArray(a) && Array.isArray(b)) {
		return a.length === b.length && a.every((value, i) => value === b[i]);
	}
	return a === b;
}

/** Whether a stored row already says what the document says (insert-only columns aside). */
export function sameRow(stored: ProjectedRow, projected: ProjectedRow): boolean {
	for (const name of FACT_NAMES) {
		if (!isInsertOnly(name) && !sameValue(stored[name], projected[name])) return false;
	}
	return true;
}

/**
 * A row of the load query (selectFacts in store.ts) as a ProjectedRow: timestamps come back as
 * Dates, everything else as the column's value. Unknown shapes are a bug of the query, so they
 * throw rather than project a wrong fact.
 */
export function storedRowFrom(raw: Record<string, unknown>): StoredRow {
	const row: Record<string, unknown> = { id: raw.id };
	if (typeof raw.id !== 'string') throw new Error('cards row without an id');
	for (const name of FACT_NAMES) {
		const value = raw[name];
		if (factType(name) === 'timestamptz') {
			if (!(value instanceof Date)) throw new Error(`cards.${name} is not a timestamp`);
			row[name] = value.getTime();
		} else {
			row[name] = value;
		}
	}
	return { row: row as ProjectedRow, deleted: raw.deleted_at !== null };
}
