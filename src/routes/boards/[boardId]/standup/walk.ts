/**
 * The stand-up walk: the order (right to left, Standard → Proposed, as Lean stand-ups walk a
 * board; top to bottom within a column) and the shared position. The position travels in each
 * client's presence as `standupWalk: { cardId, seq }`; whoever stepped last leads, and everyone
 * else follows. `seq` is a Lamport counter (one more than the highest seen), not a clock, so a TV
 * or laptop with a wrong clock cannot take the lead by accident. Remote presence is untrusted and
 * read through `readWalkPosition`.
 */
import type { CardView } from '$lib/board/document';
import { FLOW_STAGES, type FlowStage } from '$lib/board/stages';
import type { Columns } from '$lib/board/client/card-views';

import { STANDUP_WALK_FIELD } from '$lib/board/client/presence';

export const WALK_FIELD = STANDUP_WALK_FIELD;
/** The walk's order of columns: right to left. */
export const WALK_STAGES: readonly FlowStage[] = [...FLOW_STAGES].reverse();

export interface WalkPosition {
	cardId: string;
	seq: number;
	clientId: number;
}

/** Card ids in walking order; `proposedOrder` lets the Proposed column be sorted (e.g. by votes). */
export function walkOrder(columns: Columns, proposedOrder?: readonly CardView[]): string[] {
	return WALK_STAGES.flatMap((stage) =>
		(stage === 'proposed' && proposedOrder ? proposedOrder : columns[stage]).map((c) => c.id)
	);
}

/** The card `delta` steps from `current` (clamped at both ends); the first card when none. */
export function step(
	order: readonly string[],
	current: string | null,
	delta: number
): string | null {
	if (order.length === 0) return null;
	const at = current === null ? -1 : order.indexOf(current);
	if (at < 0) return order[delta >= 0 ? 0 : order.length - 1] ?? null;
	return order[Math.max(0, Math.min(order.length - 1, at + delta))] ?? null;
}

function readOne(state: unknown, clientId: number): WalkPosition | null {
	if (typeof state !== 'object' || state === null) return null;
	const walk = (state as Record<string, unknown>)[WALK_FIELD];
	if (typeof walk !== 'object' || walk === null) return null;
	const { cardId, seq } = walk as Record<string, unknown>;
	if (typeof cardId !== 'string' || cardId.length === 0 || cardId.length > 100) return null;
	if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return null;
	return { cardId, seq, clientId };
}

/** The leading position among everyone present (highest seq; ties by client id), or null. */
export function readWalkPosition(states: ReadonlyMap<number, unknown>): WalkPosition | null {
	let lead: WalkPosition | null = null;
	for (const [clientId, state] of states) {
		const position = readOne(state, clientId);
		if (!position) continue;
		if (!lead || position.seq > lead.seq || (position.seq === lead.seq && clientId > lead.clientId))
			lead = position;
	}
	return lead;
}

/** The seq for this client's next step: ahead of every position seen. */
export function nextSeq(states: ReadonlyMap<number, unknown>): number {
	return (readWalkPosition(states)?.seq ?? 0) + 1;
}

/** Keys that move the walk: arrows, and a presenter clicker's PageUp/PageDown. */
export function walkDelta(key: string): -1 | 1 | null {
	switch (key) {
		case 'ArrowRight':
		case 'ArrowDown':
		case 'PageDown':
		case ' ':
			return 1;
		case 'ArrowLeft':
		case 'ArrowUp':
		case 'PageUp':
			return -1;
		default:
			return null;
	}
}
