/**
 * Work-in-progress limits as the board shows and enforces them. A soft limit only warns; a hard
 * limit refuses moves into a column that is already full (moves within the column still work).
 */
import type { CardView, WipLimit, WipLimits } from '../document';
import type { Stage } from '../stages';

export type WipLevel = 'none' | 'under' | 'at' | 'over';

export function wipLevel(count: number, limit: WipLimit | undefined): WipLevel {
	if (!limit) return 'none';
	if (count > limit.limit) return 'over';
	if (count === limit.limit) return 'at';
	return 'under';
}

export type MoveCheck = { ok: true } | { ok: false; reason: 'hard-limit'; limit: number };

/** Whether `cardId` may enter `toStage`, given the columns as they are now. */
export function checkWipForMove(
	columns: Readonly<Record<Stage, readonly Pick<CardView, 'id'>[]>>,
	limits: WipLimits,
	cardId: string,
	toStage: Stage
): MoveCheck {
	const limit = limits[toStage];
	if (!limit?.hard) return { ok: true };
	const column = columns[toStage];
	if (column.some((card) => card.id === cardId)) return { ok: true };
	if (column.length >= limit.limit) return { ok: false, reason: 'hard-limit', limit: limit.limit };
	return { ok: true };
}
