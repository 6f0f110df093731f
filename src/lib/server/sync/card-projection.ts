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
import { cycleAfterMove } from '../../board/lifecycle';
import type { CardSummary } from '../../board/pdca';
import { isStage, type Stage } from '../../board/stages';

/** The last stage event written for a card (its stage, when it was entered, in which cycle). */
export interface RecordedStage {
	stage: string;
	/** ms since epoch */
	at: number;
	/** The PDCA cycle the event carries: the card's true cycle (the document's may be wrong). */
	cycle: number;
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
	/** A manager's reason for passing a stage gate; absent when no gate was passed by override. */
	overrideReason?: string;
}

/**
 * The PDCA facts a `cards` row carries (DESIGN.md §2), flat as the columns hold them, so follow-up
 * lists, the inbox, the standards library and reports query them without opening documents.
 * Dates are 'YYYY-MM-DD'.
 */
export interface ProjectedFacts {
	proposerId: string | null;
	proposerName: string | null;
	ownerId: string | null;
	ownerName: string | null;
	followUp: string | null;
	due: string | null;
	decision: string | null;
	labels: string[];
	affectedUserIds: string[];
	pendingInputUserIds: string[];
	supportWhat: string | null;
	supportFrom: string | null;
	supportRaisedBy: string | null;
	supportOpen: boolean;
	endReason: string;
	standardEffectiveDate: string | null;
	standardReviewDate: string | null;
	standardOwnerId: string | null;
	standardOwnerName: string | null;
	standardText: string;
	adoptedFromBoardId: string | null;
	adoptedFromCardId: string | null;
}

/** The facts of a card as its summary says (null: a card without any PDCA fields). */
export function projectFacts(summary: CardSummary | null): ProjectedFacts {
	return {
		proposerId: summary?.proposer?.id ?? null,
		proposerName: summary?.proposer?.name ?? null,
		ownerId: summary?.owner?.id ?? null,
		ownerName: summary?.owner?.name ?? null,
		followUp: summary?.followUp ?? null,
		due: summary?.due ?? null,
		decision: summary?.decision ?? null,
		labels: summary?.labels ?? [],
		affectedUserIds: summary?.affectedIds ?? [],
		pendingInputUserIds: summary?.pendingInputIds ?? [],
		supportWhat: summary?.support?.what ?? null,
		supportFrom: summary?.support?.fromWhom ?? null,
		supportRaisedBy: summary?.support?.raisedById ?? null,
		supportOpen: summary?.support?.open ?? false,
		endReason: summary?.endReason ?? '',
		standardEffectiveDate: summary?.standard?.effectiveDate ?? null,
		standardReviewDate: summary?.standard?.reviewDate ?? null,
		standardOwnerId: summary?.standard?.owner?.id ?? null,
		standardOwnerName: summary?.standard?.owner?.name ?? null,
		standardText: summary?.standard?.text ?? '',
		adoptedFromBoardId: summary?.adoptedFrom?.boardId ?? null,
		adoptedFromCardId: summary?.adoptedFrom?.cardId ?? null
	};
}

function sameFacts(a: ProjectedFacts, b: ProjectedFacts): boolean {
	for (const key of Object.keys(a) as (keyof ProjectedFacts)[]) {
		const x = a[key];
		const y = b[key];
		if (Array.isArray(x) && Array.isArray(y)) {
			if (x.length !== y.length || x.some((value, i) => value !== y[i])) return false;
		} else if (x !== y) {
			return false;
		}
	}
	return true;
}

/** One `cards` row as the document says it should be. */
export interface ProjectedCard extends ProjectedFacts {
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
	/** The row's PDCA columns (board-store maps them). */
	facts: ProjectedFacts;
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

export function projectCard(
	card: CardView,
	summary: CardSummary | null,
	stageEnteredAt: number,
	now: number
): ProjectedCard {
	const createdAt = card.createdAt > 0 && card.createdAt <= now ? card.createdAt : now;
	return {
		...projectFacts(summary),
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
		row.stage_entered_at.getTime() === card.stageEnteredAt &&
		sameFacts(row.facts, card)
	);
}

/**
 * The cycle a stage event carries: the last event's cycle, plus one for an adapt (Act → Plan).
 * A card without events starts where its document says.
 */
export function recordedCycle(
	card: { stage: Stage; cycle: number },
	last: RecordedStage | undefined
): number {
	if (!last) return card.cycle;
	return isStage(last.stage) ? cycleAfterMove(last.cycle, last.stage, card.stage) : last.cycle;
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
 * every card whose stage differs from its last event, including cards that never had one. Such an
 * event's cycle follows from the last one (recordedCycle), not from the document. `summaries`
 * holds each card's PDCA facts (readCardSummary); a card without one projects empty facts.
 */
export function planReconciliation(
	cards: readonly CardView[],
	rows: readonly StoredCardRow[],
	lastEvents: ReadonlyMap<string, RecordedStage>,
	now: number,
	summaries: ReadonlyMap<string, CardSummary> = new Map()
): ReconciliationPlan {
	const lastRecorded = new Map(lastEvents);
	const rowsById = new Map(rows.map((row) => [row.id, row]));
	const events: StageEvent[] = [];
	const upserts: ProjectedCard[] = [];
	const inDocument = new Set<string>();
	for (const card of cards) {
		inDocument.add(card.id);
		const last = lastRecorded.get(card.id);
		const event = stageEventFor({ ...card, cycle: recordedCycle(card, last) }, last, {
			byUserId: null,
			source: 'replayed',
			now
		});
		if (event) {
			events.push(event);
			lastRecorded.set(card.id, { stage: event.toStage, at: event.at, cycle: event.cycle });
		}
		const projected = projectCard(
			card,
			summaries.get(card.id) ?? null,
			lastRecorded.get(card.id)?.at ?? now,
			now
		);
		const row = rowsById.get(card.id);
		if (!row || !rowMatches(row, projected)) upserts.push(projected);
	}
	const deletedCardIds = rows
		.filter((row) => row.deleted_at === null && !inDocument.has(row.id))
		.map((row) => row.id);
	return { events, upserts, deletedCardIds, lastRecorded };
}
