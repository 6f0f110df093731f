/**
 * The sync server's store, made unable to poison a board. The writer retries a failed commit
 * forever (a database outage must not lose edits), so a commit that fails because of the DATA
 * (a NUL in a title, an id too long for its index, a date Postgres has no day for) would hold every
 * later edit of the board, by anyone, unacknowledged and unstored. Two lines of defence:
 *
 * 1. Every projection row and stage event is bounded on its way in (src/lib/board/limits.ts):
 *    texts lose control characters and are cut to length, ids that no index can hold are dropped.
 * 2. If Postgres still refuses the batch for a data reason, the Yjs update (the truth) is committed
 *    on its own, then each projection row on its own; a row Postgres refuses is skipped and logged.
 *    The projection of that card stays stale until its next change or the board's next load
 *    (which reconciles it), but the board keeps saving.
 *
 * Any other failure (connection lost, database down) is rethrown for the writer to retry.
 */
import { cleanText, isDocumentId } from '../../src/lib/board/limits';
import type { Logger } from '../../src/lib/server/log';
import type { ProjectedRow } from '../../src/lib/server/projection/facts';
import type { StageEvent } from '../../src/lib/server/projection/stage-events';
import type { BoardStore, CommitBatch } from '../../src/lib/server/projection/store';
import { errorDetails } from './board-connection';

/** The longest text a projected column keeps (the document's long texts are bounded alike). */
const COLUMN_TEXT_MAX = 20_000;

/**
 * SQLSTATE classes that say "this data can never be stored": 22 data exception (invalid byte
 * sequence, value too long, bad date), 23502/23514 not-null and check violations, 54 program limit
 * exceeded (index row size). 23503 (foreign key: the board was deleted) is NOT one of them: the
 * writer handles it.
 */
function isDataError(error: unknown): boolean {
	if (typeof error !== 'object' || error === null) return false;
	const code = (error as { code?: unknown }).code;
	if (typeof code !== 'string') return false;
	return code.startsWith('22') || code.startsWith('54') || code === '23502' || code === '23514';
}

/**
 * The column's value bounded by what its name says it holds: `id` and names ending in `_id`,
 * `_ids` or `_by` are ids (invalid ones become null, or are left out of a list); every other string
 * is cleaned text. Generic over the row's keys so a column added to the projection is covered too.
 */
function boundColumn(key: string, value: unknown): unknown {
	const isIdColumn = key === 'id' || /_(id|ids|by)$/.test(key);
	if (typeof value === 'string') {
		if (isIdColumn) return isDocumentId(value) ? value : null;
		return cleanText(value, COLUMN_TEXT_MAX);
	}
	if (Array.isArray(value)) {
		return value
			.filter((item): item is string => typeof item === 'string')
			.map((item) => (isIdColumn ? item : cleanText(item, COLUMN_TEXT_MAX)))
			.filter((item) => (isIdColumn ? isDocumentId(item) : item.length > 0))
			.slice(0, 500);
	}
	return value;
}

/** The row with every value storable, or null when the card's own id is not (the row is skipped). */
export function boundProjectedRow(card: ProjectedRow): ProjectedRow | null {
	if (!isDocumentId(card.id)) return null;
	const bounded: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(card)) bounded[key] = boundColumn(key, value);
	// Same keys, each value of its own type (or null where an id column is nullable).
	return { ...card, ...(bounded as Partial<ProjectedRow>), id: card.id };
}

export function boundStageEvent(event: StageEvent): StageEvent | null {
	if (!isDocumentId(event.cardId)) return null;
	const { overrideReason, ...rest } = event;
	if (overrideReason === undefined) return rest;
	const reason = cleanText(overrideReason, 2000).trim();
	return reason ? { ...rest, overrideReason: reason } : rest;
}

export function boundBatch(batch: CommitBatch): { batch: CommitBatch; dropped: string[] } {
	const dropped: string[] = [];
	const upserts: ProjectedRow[] = [];
	for (const card of batch.upserts) {
		const bounded = boundProjectedRow(card);
		if (bounded) upserts.push(bounded);
		else dropped.push(card.id);
	}
	const events: StageEvent[] = [];
	for (const event of batch.events) {
		const bounded = boundStageEvent(event);
		if (bounded) events.push(bounded);
	}
	return {
		batch: {
			...batch,
			events,
			upserts,
			// A card whose id no row can hold has no row to mark deleted.
			deletedCardIds: batch.deletedCardIds.filter(isDocumentId)
		},
		dropped
	};
}

export function guardBoardStore(store: BoardStore, log: Logger): BoardStore {
	const logSkipped = (boardId: string, cards: string[], error?: unknown) =>
		log.error(
			{
				board: boardId,
				cards: cards.map((id) => id.slice(0, 80)),
				...(error ? { err: errorDetails(error) } : {})
			},
			'card projection rows skipped: Postgres cannot store them (the document keeps them)'
		);

	async function commitPieceByPiece(batch: CommitBatch, cause: unknown): Promise<void> {
		log.warn(
			{ board: batch.boardId, err: errorDetails(cause) },
			'a batch was refused for its data; storing the update first, then each row alone'
		);
		const base = { boardId: batch.boardId, upserts: [], deletedCardIds: [] };
		try {
			await store.commit({ ...base, update: batch.update, events: batch.events });
		} catch (error) {
			if (!isDataError(error)) throw error;
			// The events are the refused part: the update alone is always storable (bytea).
			log.error(
				{ board: batch.boardId, err: errorDetails(error), events: batch.events.length },
				'stage events skipped: Postgres cannot store them'
			);
			await store.commit({ ...base, update: batch.update, events: [] });
		}
		// The update is durable now; the rest is projection, which a load reconciles anyway, so a
		// failure from here on is logged, never retried (a retry would store the events twice).
		const pieces: CommitBatch[] = [
			...batch.upserts.map((card) => ({ ...base, update: null, events: [], upserts: [card] })),
			...(batch.deletedCardIds.length > 0
				? [{ ...base, update: null, events: [], deletedCardIds: batch.deletedCardIds }]
				: [])
		];
		for (const piece of pieces) {
			try {
				await store.commit(piece);
			} catch (error) {
				logSkipped(
					batch.boardId,
					piece.upserts.length > 0 ? piece.upserts.map((c) => c.id) : [...piece.deletedCardIds],
					error
				);
			}
		}
	}

	return {
		...store,
		loadBoard: (boardId) => store.loadBoard(boardId),
		compact: (boardId, fold) => store.compact(boardId, fold),
		boardExists: (boardId) => store.boardExists(boardId),
		async commit(original) {
			const { batch, dropped } = boundBatch(original);
			if (dropped.length > 0) logSkipped(batch.boardId, dropped);
			try {
				await store.commit(batch);
			} catch (error) {
				if (!isDataError(error)) throw error;
				await commitPieceByPiece(batch, error);
			}
		}
	};
}
