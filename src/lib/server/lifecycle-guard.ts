/**
 * The server's judgement of a stage change a client made (DESIGN.md §3): the same gates the client
 * checks (lifecycle.ts), checked again against what the server recorded, so a modified client
 * cannot make the event log record an illegal transition as legal. Pure and framework-free: the
 * sync server (server/sync/board-room.ts) applies the verdict.
 *
 * - The move is judged from the last RECORDED stage (not from what the document says it was: a
 *   concurrent or offline history may skip steps) with the card's facts as they are after the
 *   update, read in the cycle the card was in when it left (the update may already claim the next).
 * - Something missing: only a manager (or admin) may pass, and only with a reason (the place's
 *   `override`), which the event then records. Anyone else's move is refused: the server puts the
 *   card back and records nothing.
 * - The cycle is the server's: the last event's cycle, plus one for an adapt (Act → Plan).
 */
import type { CardPlace } from '../board/document';
import { cycleAfterMove, missingForMove, moveHasGates, type Missing } from '../board/lifecycle';
import { gateFacts, type CardDetail } from '../board/pdca';
import { isStage, type Stage } from '../board/stages';
import { roleAtLeast, type Role } from '../roles';

/** What the server recorded last for a card; undefined for a card it has never seen. */
export interface RecordedPlace {
	stage: string;
	cycle: number;
}

export type StageChangeVerdict =
	| {
			kind: 'accept';
			/** The cycle the event carries and the document must say. */
			cycle: number;
			/** Set when a gate was passed by a manager's override. */
			overrideReason: string | null;
	  }
	| {
			kind: 'refuse';
			/** What the gates miss; the card goes back to `stage`. */
			missing: Missing[];
			/** `missing`: nobody gave a reason; `not_allowed`: a reason, from someone below manager. */
			reason: 'missing' | 'not_allowed';
			stage: Stage;
			cycle: number;
	  };

/** A new card starts in Proposed: creating one straight into a later stage passes the same gates. */
const FIRST_STAGE: Stage = 'proposed';

/**
 * Judges a change of the card's stage to `to` away from `recorded`. `senderRole` null = the
 * server itself. `detail` is read only when the move has a gate (moveHasGates).
 */
export function judgeStageChange(input: {
	to: Stage;
	detail: () => CardDetail;
	recorded: RecordedPlace | undefined;
	override: string | undefined;
	senderRole: Role | null;
}): StageChangeVerdict {
	const { to, recorded, senderRole } = input;
	const from: Stage = recorded && isStage(recorded.stage) ? recorded.stage : FIRST_STAGE;
	const cycleBefore = recorded ? recorded.cycle : 1;
	const accepted = (overrideReason: string | null): StageChangeVerdict => ({
		kind: 'accept',
		cycle: cycleAfterMove(cycleBefore, from, to),
		overrideReason
	});
	if (senderRole === null || !moveHasGates(from, to)) return accepted(null);
	const missing = missingForMove(gateFacts({ ...input.detail(), cycle: cycleBefore }), from, to);
	if (missing.length === 0) return accepted(null);
	const reason = input.override?.trim() ?? '';
	if (!reason)
		return { kind: 'refuse', missing, reason: 'missing', stage: from, cycle: cycleBefore };
	if (!roleAtLeast(senderRole, 'manager')) {
		return { kind: 'refuse', missing, reason: 'not_allowed', stage: from, cycle: cycleBefore };
	}
	return accepted(reason);
}

/**
 * Where a refused card goes: back to the place it had before the update when that place is in the
 * recorded stage (exactly where it was), else to the end of the recorded stage's column.
 */
export function placeToRestore(input: {
	before: CardPlace | null;
	stage: Stage;
	endOfColumnRank: () => string;
	now: number;
}): CardPlace {
	const { before, stage } = input;
	if (before && before.stage === stage) {
		return { stage, rank: before.rank, movedAt: before.movedAt, movedBy: before.movedBy };
	}
	return { stage, rank: input.endOfColumnRank(), movedAt: input.now, movedBy: '' };
}
