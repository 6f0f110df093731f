/**
 * Where a stage change becomes a stage event (`card_events`): the ONE producer, used by the live
 * room (client updates and server changes), by edits made without a running sync server
 * (board-edit.ts) and, through stageEventFor, by reconciliation on load (reconcile.ts).
 *
 * Why events compare with the last *recorded* stage instead of the change the document reports:
 * two concurrent moves of one card can reach the server as A→B→C or as A→C (a losing write fires
 * no event where the winner arrived first), so only "is the stage now different from the last
 * event we wrote?" gives one event per effective change.
 *
 * The order of judgement for one changed card (recordStageChanges):
 *   1. the guards (STAGE_GUARDS: the lifecycle gates first) may refuse the change: the card is put
 *      back, the sender is told why, and no event is written;
 *   2. the event's time is the server's (live) or the card's claimed time clamped (replayed);
 *   3. the cycle is the server's: a wrong one in the document is corrected.
 * Corrections go through `correct`, so they join the very write that carried the change.
 */
import * as Y from 'yjs';
import {
	cardsMap,
	columnOrder,
	rankAt,
	readCardMove,
	readPlace,
	readWipLimits,
	type CardPlace
} from '../../board/document';
import { cycleAfterMove, type Missing } from '../../board/lifecycle';
import { cycleMap, readCardDetail, type CardDetail } from '../../board/pdca';
import { isStage, type Stage } from '../../board/stages';
import type { Role } from '../../roles';
import type { MoveRefusalReason } from '../../sync/messages';
import { judgeStageChange, placeToRestore } from '../lifecycle-guard';
import { judgeHardLimit } from '../wip-guard';

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

/** Who caused a change: the sender's user and role; role null = the server itself (trusted). */
export interface ChangeSender {
	userId: string | null;
	role: Role | null;
}

/** A stage change the server undid, for the sender's "why" message. */
export interface RefusedMove {
	cardId: string;
	missing: Missing[];
	reason: MoveRefusalReason;
}

/** One stage change as a guard sees it: the card after the change, and what was recorded before. */
export interface ProposedStageChange {
	doc: Y.Doc;
	cardId: string;
	/** The stage the document now gives the card. */
	to: Stage;
	/** The card's whole detail, read on first call (costly: only a move with a gate needs it). */
	detail: () => CardDetail;
	recorded: RecordedStage | undefined;
	/** The last recorded stage of every card (a guard may look at the other cards of a column). */
	lastRecorded: ReadonlyMap<string, RecordedStage>;
	sender: ChangeSender;
	/** The manager's override reason the card's place carries, if any. */
	override: string | undefined;
	enforceLifecycleGates: boolean;
}

export type GuardVerdict =
	| { kind: 'accept'; cycle: number; overrideReason: string | null }
	| {
			kind: 'refuse';
			stage: Stage;
			cycle: number;
			missing: Missing[];
			reason: RefusedMove['reason'];
	  };

/**
 * A rule a stage change must pass. Returns null to have no opinion; the first refusal wins. The
 * accepting verdict of the LAST guard with an opinion sets the cycle and override reason. New
 * rules (a hard WIP limit, …) are added to STAGE_GUARDS; they must be pure and quick: they run
 * for every changed card of every update.
 */
export type StageGuard = (change: ProposedStageChange) => GuardVerdict | null;

/** The lifecycle gates (src/lib/server/lifecycle-guard.ts); a trusted sender passes every gate. */
const lifecycleGates: StageGuard = (change) =>
	judgeStageChange({
		to: change.to,
		detail: change.detail,
		recorded: change.recorded,
		override: change.override,
		senderRole:
			change.sender.role === null || !change.enforceLifecycleGates ? null : change.sender.role
	});

/**
 * A hard WIP limit (src/lib/server/wip-guard.ts): two moves made apart (one offline) each saw
 * room in the column; merged, the later arrival is undone. Trusted senders are not judged.
 */
const hardWipLimits: StageGuard = (change) => {
	if (change.sender.role === null || !change.enforceLifecycleGates) return null;
	const to = change.to;
	return judgeHardLimit({
		cardId: change.cardId,
		recorded: change.recorded,
		to,
		limit: readWipLimits(change.doc)[to],
		column: () =>
			columnOrder(change.doc, to).map((card) => ({
				id: card.id,
				recordedStage: change.lastRecorded.get(card.id)?.stage
			}))
	});
};

export const STAGE_GUARDS: readonly StageGuard[] = [lifecycleGates, hardWipLimits];

function judge(change: ProposedStageChange): GuardVerdict {
	let verdict: GuardVerdict | null = null;
	for (const guard of STAGE_GUARDS) {
		const next = guard(change);
		if (!next) continue;
		if (next.kind === 'refuse') return next;
		verdict = next;
	}
	// No guard had an opinion: the cycle follows the recorded one.
	return verdict ?? { kind: 'accept', cycle: change.recorded?.cycle ?? 1, overrideReason: null };
}

export interface StageChangeInput {
	doc: Y.Doc;
	/** The cards the change touched (the Yjs transaction's changed keys). */
	cardIds: Iterable<string>;
	/** The last recorded stage per card: read, and updated for every event produced. */
	lastRecorded: Map<string, RecordedStage>;
	sender: ChangeSender;
	source: ChangeSource;
	now: number;
	enforceLifecycleGates: boolean;
	/** Each touched card's `place` before the change (for putting a refused move back). */
	placesBefore: ReadonlyMap<string, unknown>;
	/** Applies a correction to the document so that it joins the write carrying the change. */
	correct(change: () => void): void;
	/** Told about each refusal (the room logs it). */
	onRefused?(refusal: RefusedMove, toStage: Stage): void;
}

export interface StageChanges {
	events: StageEvent[];
	/** The document was corrected (a move undone, a cycle set): the sender must hear it too. */
	corrected: boolean;
	refused: RefusedMove[];
}

/**
 * One event per card whose stage now differs from its last recorded one, attributed to the
 * sender (never to the `movedBy` the document claims). A stage change a guard refuses is undone
 * instead (no event), and every touched card's cycle is made the server's.
 */
export function recordStageChanges(input: StageChangeInput): StageChanges {
	const { doc, lastRecorded, sender, source, now } = input;
	const events: StageEvent[] = [];
	const refused: RefusedMove[] = [];
	let corrected = false;
	const cards = cardsMap(doc);
	for (const id of [...input.cardIds]) {
		const card = cards.get(id);
		let move = readCardMove(doc, id);
		if (!move || !(card instanceof Y.Map)) continue; // deleted: the projection marks it, no stage event
		const recorded = lastRecorded.get(id);
		let cycle = recorded?.cycle ?? move.cycle;
		if (!recorded || recorded.stage !== move.stage) {
			// A Y.Map card (checked above) always has a detail; read it only if a guard asks.
			let detail: CardDetail | null = null;
			const verdict = judge({
				doc,
				cardId: id,
				to: move.stage,
				detail: () => (detail ??= readCardDetail(doc, id)!),
				recorded,
				lastRecorded,
				sender,
				override: readPlace(card.get('place')).override,
				enforceLifecycleGates: input.enforceLifecycleGates
			});
			let overrideReason: string | null = null;
			if (verdict.kind === 'refuse') {
				const before = input.placesBefore.get(id);
				const restored: CardPlace = placeToRestore({
					before: typeof before === 'object' && before !== null ? readPlace(before) : null,
					stage: verdict.stage,
					endOfColumnRank: () => {
						const column = columnOrder(doc, verdict.stage);
						return rankAt(column, column.length, id);
					},
					now
				});
				const refusal = { cardId: id, missing: verdict.missing, reason: verdict.reason };
				input.onRefused?.(refusal, move.stage);
				input.correct(() => card.set('place', restored));
				corrected = true;
				refused.push(refusal);
				move = readCardMove(doc, id)!;
			} else {
				overrideReason = verdict.overrideReason;
			}
			cycle = verdict.cycle;
			// A refused move of a card already recorded leaves no event; a refused new card is
			// still recorded, in the stage it was put back to.
			const event = stageEventFor({ id, ...move, cycle }, recorded, {
				byUserId: sender.userId,
				source,
				now
			});
			if (event) {
				if (overrideReason) event.overrideReason = overrideReason;
				lastRecorded.set(id, { stage: event.toStage, at: event.at, cycle });
				events.push(event);
			}
		}
		const documentCycle = move.cycle;
		if (documentCycle !== cycle) {
			// The cycle is the server's: a wrong one is corrected, and an adapt's new cycle exists.
			input.correct(() => {
				card.set('cycle', cycle);
				if (cycle > documentCycle) cycleMap(doc, id, cycle);
			});
			corrected = true;
		}
	}
	return { events, corrected, refused };
}
