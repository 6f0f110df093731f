/**
 * Repairing the projection when a board loads: whatever a crash or an older version left behind
 * (a row missing or stale, a card deleted, a stage change never recorded) is planned here as one
 * commit, so the projection equals the document before anyone joins.
 */
import type { CardView } from '../../board/document';
import type { CardSummary } from '../../board/pdca';
import { projectRow, sameRow, type ProjectedRow, type StoredRow } from './facts';
import { recordedCycle, stageEventFor, type RecordedStage, type StageEvent } from './stage-events';

export interface ReconciliationPlan {
	events: StageEvent[];
	upserts: ProjectedRow[];
	deletedCardIds: string[];
	/** The last recorded stage of every card after the plan is written. */
	lastRecorded: Map<string, RecordedStage>;
}

/**
 * What to write so the projection equals the document: rows for cards missing from the table or
 * stale in it, deletion marks for rows whose card is gone, and a reconciling event (by nobody) for
 * every card whose stage differs from its last event, including cards that never had one. Such an
 * event's cycle follows from the last one (recordedCycle), not from the document; its time is the
 * card's claimed one, clamped (a replayed change). `summaries` holds each card's PDCA facts
 * (readCardSummary); a card without one projects empty facts.
 */
export function planReconciliation(
	cards: readonly CardView[],
	stored: readonly StoredRow[],
	lastEvents: ReadonlyMap<string, RecordedStage>,
	now: number,
	summaries: ReadonlyMap<string, CardSummary> = new Map()
): ReconciliationPlan {
	const lastRecorded = new Map(lastEvents);
	const storedById = new Map(stored.map((entry) => [entry.row.id, entry]));
	const events: StageEvent[] = [];
	const upserts: ProjectedRow[] = [];
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
		const projected = projectRow({
			card,
			summary: summaries.get(card.id) ?? null,
			stageEnteredAt: lastRecorded.get(card.id)?.at ?? now,
			now
		});
		const existing = storedById.get(card.id);
		if (!existing || existing.deleted || !sameRow(existing.row, projected)) upserts.push(projected);
	}
	const deletedCardIds = stored
		.filter((entry) => !entry.deleted && !inDocument.has(entry.row.id))
		.map((entry) => entry.row.id);
	return { events, upserts, deletedCardIds, lastRecorded };
}
