/**
 * From the board document to the relational side: the `cards` projection rows and the stage
 * events (`card_events`), as pure functions. The sync server calls them as updates arrive; a board
 * load calls planReconciliation to repair whatever a crash or an older version left behind.
 *
 * Why events compare with the last *recorded* stage instead of the change the document reports:
 * two concurrent moves of one card can reach the server as A→B→C or as A→C (a losing write fires
 * no event where the winner arrived first), so only "is the stage now different from the last
 * event we wrote?" gives one event per effective change.
 */
import type { CardView } from '../../board/document';
import type { Stage } from '../../board/stages';

/** The last stage event written for a card (its stage and when it was entered). */
export interface RecordedStage {
	stage: string;
	/** ms since epoch */
	at: number;
}

export interface StageEvent {
	cardId: string;
	fromStage: string | null;
	toStage: Stage;
	/** ms since epoch */
	at: number;
	/** The user whose connection sent the change; null for reconciliation (nobody we can name). */
	byUserId: string | null;
	cycle: number;
}

/** One `cards` row as the document says it should be. */
export interface ProjectedCard {
	id: string;
	title: string;
	stage: Stage;
	cycle: number;
	rank: string;
	beneficiary: string;
	createdBy: string | null;
	/** ms since epoch; written on insert only */
	createdAt: number;
	/** ms since epoch: when the card entered its current stage (its last event) */
	stageEnteredAt: number;
}

/** A `cards` row as stored, reduced to what the projection compares. */
export interface StoredCardRow {
	id: string;
	title: string;
	stage: string;
	cycle: number;
	rank: string;
	beneficiary: string;
	created_by: string | null;
	stage_entered_at: Date;
	deleted_at: Date | null;
}

/**
 * How a change reached the server. `live`: sent as it happened, so the server's clock is the
 * truth. `replayed`: carried by the sync handshake (made offline, or in flight when a server
 * died), so the card's own `movedAt` is the best witness, within bounds.
 */
export type ChangeSource = 'live' | 'replayed';

/**
 * A client's claimed move time, bounded: never in the future (clamped to now) and never before
 * the card's previous event (clamped to it), so a wrong client clock cannot reorder history.
 * A missing or nonsensical time becomes now.
 */
export function boundMoveTime(movedAt: number, previousAt: number | null, now: number): number {
	if (!Number.isFinite(movedAt) || movedAt <= 0) return Math.max(now, previousAt ?? now);
	const notBeforePrevious = previousAt === null ? movedAt : Math.max(movedAt, previousAt);
	return Math.min(notBeforePrevious, Math.max(now, previousAt ?? now));
}

/**
 * The event for a card's current stage, or null when it equals the last recorded stage.
 * `card` is what the document says now; `last` what was recorded before.
 */
export function stageEventFor(
	card: { id: string; stage: Stage; movedAt: number; cycle: number },
	last: RecordedStage | undefined,
	change: { byUserId: string | null; source: ChangeSource; now: number }
): StageEvent | null {
	if (last && last.stage === card.stage) return null;
	const previousAt = last ? last.at : null;
	const at =
		change.source === 'live'
			? Math.max(change.now, previousAt ?? change.now) // a clock stepping back never reorders
			: boundMoveTime(card.movedAt, previousAt, change.now);
	return {
		cardId: card.id,
		fromStage: last ? last.stage : null,
		toStage: card.stage,
		at,
		byUserId: change.byUserId,
		cycle: card.cycle
	};
}

export function projectCard(card: CardView, stageEnteredAt: number, now: number): ProjectedCard {
	const createdAt = card.createdAt > 0 && card.createdAt <= now ? card.createdAt : now;
	return {
		id: card.id,
		title: card.title,
		stage: card.stage,
		cycle: card.cycle,
		rank: card.rank,
		beneficiary: card.beneficiary,
		createdBy: card.createdBy || null,
		createdAt,
		stageEnteredAt
	};
}

function rowMatches(row: StoredCardRow, card: ProjectedCard): boolean {
	return (
		row.deleted_at === null &&
		row.title === card.title &&
		row.stage === card.stage &&
		row.cycle === card.cycle &&
		row.rank === card.rank &&
		row.beneficiary === card.beneficiary &&
		row.created_by === card.createdBy &&
		row.stage_entered_at.getTime() === card.stageEnteredAt
	);
}

export interface ReconciliationPlan {
	events: StageEvent[];
	upserts: ProjectedCard[];
	deletedCardIds: string[];
	/** The last recorded stage of every card after the plan is written. */
	lastRecorded: Map<string, RecordedStage>;
}

/**
 * What to write so the projection equals the document: rows for cards missing from the table or
 * stale in it, deletion marks for rows whose card is gone, and a reconciling event (by nobody) for
 * every card whose stage differs from its last event, including cards that never had one.
 */
export function planReconciliation(
	cards: readonly CardView[],
	rows: readonly StoredCardRow[],
	lastEvents: ReadonlyMap<string, RecordedStage>,
	now: number
): ReconciliationPlan {
	const lastRecorded = new Map(lastEvents);
	const rowsById = new Map(rows.map((row) => [row.id, row]));
	const events: StageEvent[] = [];
	const upserts: ProjectedCard[] = [];
	const inDocument = new Set<string>();
	for (const card of cards) {
		inDocument.add(card.id);
		const event = stageEventFor(card, lastRecorded.get(card.id), {
			byUserId: null,
			source: 'replayed',
			now
		});
		if (event) {
			events.push(event);
			lastRecorded.set(card.id, { stage: event.toStage, at: event.at });
		}
		const projected = projectCard(card, lastRecorded.get(card.id)?.at ?? now, now);
		const row = rowsById.get(card.id);
		if (!row || !rowMatches(row, projected)) upserts.push(projected);
	}
	const deletedCardIds = rows
		.filter((row) => row.deleted_at === null && !inDocument.has(row.id))
		.map((row) => row.id);
	return { events, upserts, deletedCardIds, lastRecorded };
}
