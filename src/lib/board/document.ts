/**
 * The board document: the only module that knows its shape. Client (UI) and server (projection,
 * stage events, tests) both read and write cards through it.
 *
 *   doc.getMap('cards')     Y.Map<cardId, Y.Map>   one entry per card
 *     id          string
 *     title       Y.Text     (two people typing in it merge)
 *     description Y.Text
 *     beneficiary string     whom the improvement is for (DESIGN.md §2.1)
 *     place       { stage, rank, movedAt, movedBy }   ONE key on purpose, see below
 *     cycle       number     PDCA cycle, 1-based
 *     createdAt   number     ms since epoch (client clock)
 *     createdBy   string     user id
 *   doc.getMap('settings')
 *     wip         { [stage]: { limit: number, hard: boolean } }
 *
 * Why stage and rank share one key: a Y.Map key is last-writer-wins as a whole. Two people moving
 * the same card at once then end with one of the two moves, never "stage from one, rank from the
 * other", and because the card is never removed and re-inserted it can never be duplicated.
 *
 * Reading validates: unknown fields are ignored and malformed ones fall back to safe values, so a
 * document written by a newer or broken client still renders.
 */
import * as Y from 'yjs';
import { compareByRank, isRank, rankBetween } from './rank';
import { isStage, STAGES, type Stage } from './stages';

export const CARDS_KEY = 'cards';
export const SETTINGS_KEY = 'settings';
export const TITLE_MAX_LENGTH = 200;
export const BENEFICIARY_MAX_LENGTH = 120;
export const DESCRIPTION_MAX_LENGTH = 20_000;
const FALLBACK_RANK = 'a0';

export interface CardPlace {
	stage: Stage;
	rank: string;
	/** When the card last moved, by the mover's clock (ms since epoch); the server bounds it. */
	movedAt: number;
	movedBy: string;
	/**
	 * A manager's reason for moving past a stage gate. It travels in the same key as the move, so
	 * the server sees the override together with the move it belongs to.
	 */
	override?: string;
}

/** A plain, validated snapshot of one card, for rendering and projection. */
export interface CardView {
	id: string;
	title: string;
	description: string;
	beneficiary: string;
	stage: Stage;
	rank: string;
	movedAt: number;
	movedBy: string;
	cycle: number;
	createdAt: number;
	createdBy: string;
}

export interface WipLimit {
	limit: number;
	hard: boolean;
}

export type WipLimits = Partial<Record<Stage, WipLimit>>;

export type YCard = Y.Map<unknown>;

export function cardsMap(doc: Y.Doc): Y.Map<YCard> {
	return doc.getMap<YCard>(CARDS_KEY);
}

export function settingsMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap<unknown>(SETTINGS_KEY);
}

function textOf(value: unknown): string {
	if (value instanceof Y.Text) return value.toString();
	if (typeof value === 'string') return value;
	return '';
}

function finiteOr(value: unknown, fallback: number): number {
	return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** Reads a card's place, or a safe default (Proposed, at the end) when it is missing or malformed. */
export function readPlace(value: unknown): CardPlace {
	const place = (typeof value === 'object' && value !== null ? value : {}) as Record<
		string,
		unknown
	>;
	return {
		stage: isStage(place.stage) ? place.stage : 'proposed',
		rank: isRank(place.rank) ? place.rank : FALLBACK_RANK,
		movedAt: finiteOr(place.movedAt, 0),
		movedBy: typeof place.movedBy === 'string' ? place.movedBy : '',
		...(typeof place.override === 'string' && place.override.trim()
			? { override: place.override.slice(0, 2000) }
			: {})
	};
}

/** A validated view of one card, or null when the entry is not a card at all. */
export function readCard(id: string, card: unknown): CardView | null {
	if (!(card instanceof Y.Map)) return null;
	const place = readPlace(card.get('place'));
	const cycle = finiteOr(card.get('cycle'), 1);
	return {
		id,
		title: textOf(card.get('title')).slice(0, TITLE_MAX_LENGTH * 2),
		description: textOf(card.get('description')),
		beneficiary:
			typeof card.get('beneficiary') === 'string' ? (card.get('beneficiary') as string) : '',
		stage: place.stage,
		rank: place.rank,
		movedAt: place.movedAt,
		movedBy: place.movedBy,
		cycle: Math.max(1, Math.floor(cycle)),
		createdAt: finiteOr(card.get('createdAt'), 0),
		createdBy: typeof card.get('createdBy') === 'string' ? (card.get('createdBy') as string) : ''
	};
}

export function readCards(doc: Y.Doc): CardView[] {
	const cards: CardView[] = [];
	cardsMap(doc).forEach((value, id) => {
		const card = readCard(id, value);
		if (card) cards.push(card);
	});
	return cards;
}

/** How many cards the board holds: readCards' length, without reading their fields. */
export function countCards(doc: Y.Doc): number {
	let count = 0;
	cardsMap(doc).forEach((value) => {
		if (value instanceof Y.Map) count++; // what readCard accepts
	});
	return count;
}

/** Cards grouped by stage, each column in rank order (ties by id). */
export function readColumns(doc: Y.Doc): Record<Stage, CardView[]> {
	const columns = Object.fromEntries(STAGES.map((s) => [s, [] as CardView[]])) as Record<
		Stage,
		CardView[]
	>;
	for (const card of readCards(doc)) columns[card.stage].push(card);
	for (const stage of STAGES) columns[stage].sort(compareByRank);
	return columns;
}

export function readWipLimits(doc: Y.Doc): WipLimits {
	const raw = settingsMap(doc).get('wip');
	const limits: WipLimits = {};
	if (typeof raw !== 'object' || raw === null) return limits;
	for (const [stage, value] of Object.entries(raw as Record<string, unknown>)) {
		if (!isStage(stage) || typeof value !== 'object' || value === null) continue;
		const { limit, hard } = value as Record<string, unknown>;
		if (typeof limit === 'number' && Number.isInteger(limit) && limit > 0 && limit <= 999) {
			limits[stage] = { limit, hard: hard === true };
		}
	}
	return limits;
}

/**
 * One column's cards as { id, rank } in display order, reading only each card's place: a move on a
 * 1,000-card board must not read every title and description (that cost ~10 ms per move).
 */
export function columnOrder(doc: Y.Doc, stage: Stage): { id: string; rank: string }[] {
	const column: { id: string; rank: string }[] = [];
	cardsMap(doc).forEach((card, id) => {
		if (!(card instanceof Y.Map)) return;
		const place = readPlace(card.get('place'));
		if (place.stage === stage) column.push({ id, rank: place.rank });
	});
	return column.sort(compareByRank);
}

/**
 * The rank for putting a card at `index` of `column` (a column in display order, which may still
 * contain the moving card: it is skipped). Handles neighbours with equal ranks.
 */
export function rankAt(
	column: readonly { id: string; rank: string }[],
	index: number,
	movingId?: string
): string {
	const others = column.filter((c) => c.id !== movingId);
	const at = Math.max(0, Math.min(index, others.length));
	const before = at > 0 ? others[at - 1]!.rank : null;
	let after: string | null = null;
	for (let i = at; i < others.length; i++) {
		// Skip neighbours that tie with `before`: a key must be strictly greater than it.
		if (before === null || others[i]!.rank > before) {
			after = others[i]!.rank;
			break;
		}
	}
	return rankBetween(before, after);
}

export interface NewCardInput {
	id?: string;
	title: string;
	beneficiary?: string;
	stage?: Stage;
	/** Where in the column; default: at the end. */
	index?: number;
	/** The rank itself (an import ranks a whole column at once instead of one card at a time). */
	rank?: string;
	userId: string;
	now?: number;
}

/** Adds a card in one transaction; returns its id. */
export function createCard(doc: Y.Doc, input: NewCardInput): string {
	const id = input.id ?? crypto.randomUUID();
	const stage = input.stage ?? 'proposed';
	const now = input.now ?? Date.now();
	const rank =
		input.rank ??
		(() => {
			const column = columnOrder(doc, stage);
			return rankAt(column, input.index ?? column.length);
		})();
	doc.transact(() => {
		const card = new Y.Map<unknown>();
		card.set('id', id);
		card.set('title', new Y.Text(input.title.trim().slice(0, TITLE_MAX_LENGTH)));
		card.set('description', new Y.Text());
		card.set('beneficiary', (input.beneficiary ?? '').trim().slice(0, BENEFICIARY_MAX_LENGTH));
		card.set('place', { stage, rank, movedAt: now, movedBy: input.userId } satisfies CardPlace);
		card.set('cycle', 1);
		card.set('createdAt', now);
		card.set('createdBy', input.userId);
		cardsMap(doc).set(id, card);
	});
	return id;
}

export interface MoveInput {
	stage: Stage;
	/** Target position in the destination column's display order. */
	index: number;
	userId: string;
	now?: number;
	/** A manager's reason for passing a stage gate (see CardPlace.override). */
	override?: string;
}

/** Moves a card (stage + rank in one key, one transaction). Returns false if there is no such card. */
export function moveCard(doc: Y.Doc, cardId: string, move: MoveInput): boolean {
	const card = cardsMap(doc).get(cardId);
	if (!(card instanceof Y.Map)) return false;
	const rank = rankAt(columnOrder(doc, move.stage), move.index, cardId);
	const place: CardPlace = {
		stage: move.stage,
		rank,
		movedAt: move.now ?? Date.now(),
		movedBy: move.userId,
		...(move.override?.trim() ? { override: move.override.trim() } : {})
	};
	doc.transact(() => card.set('place', place));
	return true;
}

export function setBeneficiary(doc: Y.Doc, cardId: string, beneficiary: string): void {
	const card = cardsMap(doc).get(cardId);
	if (card instanceof Y.Map)
		card.set('beneficiary', beneficiary.trim().slice(0, BENEFICIARY_MAX_LENGTH));
}

/** The card's shared title text (for live editing), created if the card lacks a valid one. */
export function cardText(
	doc: Y.Doc,
	cardId: string,
	field: 'title' | 'description'
): Y.Text | null {
	const card = cardsMap(doc).get(cardId);
	if (!(card instanceof Y.Map)) return null;
	const value = card.get(field);
	if (value instanceof Y.Text) return value;
	const text = new Y.Text(typeof value === 'string' ? value : '');
	card.set(field, text);
	return text;
}

export function deleteCard(doc: Y.Doc, cardId: string): void {
	cardsMap(doc).delete(cardId);
}

export function setWipLimit(doc: Y.Doc, stage: Stage, limit: WipLimit | null): void {
	const current = readWipLimits(doc);
	if (limit) current[stage] = limit;
	else delete current[stage];
	settingsMap(doc).set('wip', current);
}

/** What a stage event needs from a card, read without touching its texts. */
export interface CardMove {
	stage: Stage;
	movedAt: number;
	movedBy: string;
	cycle: number;
}

/** The card's current place and cycle (validated like readCard); null when there is no such card. */
export function readCardMove(doc: Y.Doc, cardId: string): CardMove | null {
	const card = cardsMap(doc).get(cardId);
	if (!(card instanceof Y.Map)) return null;
	const place = readPlace(card.get('place'));
	return {
		stage: place.stage,
		movedAt: place.movedAt,
		movedBy: place.movedBy,
		cycle: Math.max(1, Math.floor(finiteOr(card.get('cycle'), 1)))
	};
}

/**
 * Calls `onChange` after every transaction that added, removed or changed cards (any field, texts
 * included), with the ids of those cards. The server uses it to find stage changes and stale
 * projection rows without diffing the whole board. Returns the function that stops observing.
 */
export function observeCardChanges(
	doc: Y.Doc,
	onChange: (cardIds: Set<string>, transaction: Y.Transaction) => void
): () => void {
	const cards = cardsMap(doc);
	const observer = (events: Y.YEvent<Y.AbstractType<unknown>>[], transaction: Y.Transaction) => {
		const ids = new Set<string>();
		for (const event of events) {
			if (event.target === cards && event instanceof Y.YMapEvent) {
				for (const key of event.keysChanged) ids.add(key);
			} else {
				// A change inside a card: the first step of the path from the cards map is its id.
				const first = event.path[0];
				if (typeof first === 'string') ids.add(first);
			}
		}
		if (ids.size > 0) onChange(ids, transaction);
	};
	cards.observeDeep(observer);
	return () => cards.unobserveDeep(observer);
}
