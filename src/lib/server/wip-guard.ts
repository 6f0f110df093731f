/**
 * The server's judgement of a move into a column with a hard WIP limit (DESIGN.md §2.5). The
 * client refuses such moves too (src/lib/board/client/wip.ts), but two moves made apart — one of
 * them offline — each saw room in the column, and merged they break the limit. The server decides
 * in the order the moves reach it: a card counts as in the column once the server has recorded it
 * there; a later arrival that finds the column full is undone, and its author is told why (like a
 * refused stage gate, see lifecycle-guard.ts). Pure and framework-free: the sync server
 * (server/sync/board-room.ts) applies the verdict.
 *
 * - Only moves of cards the server has recorded are judged: a new card starts in Proposed and the
 *   creation is never undone for a limit.
 * - Moves within the column, and cards already in it when a limit is lowered, are never undone:
 *   a column over its limit shows "over" and only refuses newcomers.
 */
import type { WipLimit } from '../board/document';
import type { Missing } from '../board/lifecycle';
import { isStage, type Stage } from '../board/stages';
import type { RecordedPlace } from './lifecycle-guard';

/** Shaped like a refused stage change (lifecycle-guard.ts), so one code path undoes both. */
export interface HardLimitRefusal {
	kind: 'refuse';
	reason: 'hard_limit';
	missing: Missing[];
	/** Where the card goes back to: the stage the server recorded. */
	stage: Stage;
	cycle: number;
	limit: number;
}

/** Null: the move may stay; else why and where it is undone. */
export function judgeHardLimit(input: {
	cardId: string;
	/** What the server recorded last for the moving card. */
	recorded: RecordedPlace | undefined;
	/** The stage the document now puts the card in. */
	to: Stage;
	limit: WipLimit | undefined;
	/**
	 * The cards the document now has in `to`, with the stage the server recorded for each. Read
	 * only when a hard limit applies: it walks the whole board, and every move is judged.
	 */
	column: () => readonly { id: string; recordedStage: string | undefined }[];
}): HardLimitRefusal | null {
	const { cardId, recorded, to, limit } = input;
	if (!limit?.hard || !recorded || recorded.stage === to || !isStage(recorded.stage)) return null;
	const settled = input
		.column()
		.filter((card) => card.id !== cardId && card.recordedStage === to).length;
	if (settled < limit.limit) return null;
	return {
		kind: 'refuse',
		reason: 'hard_limit',
		missing: [],
		stage: recorded.stage,
		cycle: recorded.cycle,
		limit: limit.limit
	};
}
