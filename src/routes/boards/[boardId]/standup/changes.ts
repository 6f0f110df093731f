/**
 * "Changed since the last stand-up", per card, in words: created, moved (from → to), commented,
 * new input. Moves come from the server's stage events (card_events, the one record of moves);
 * the rest from the document's own timestamps, so a comment made a second ago shows at once.
 */
import type { CardDetail } from '$lib/board/pdca';
import type { Stage } from '$lib/board/stages';

export interface ServerMove {
	cardId: string;
	from: Stage | null;
	to: Stage;
}

export interface CardChanges {
	created: boolean;
	moves: { from: Stage | null; to: Stage }[];
	comments: number;
	inputs: number;
}

export function changesOf(
	detail: Pick<CardDetail, 'id' | 'createdAt' | 'movedAt' | 'stage' | 'comments' | 'inputs'>,
	since: number,
	serverMoves: readonly ServerMove[]
): CardChanges | null {
	const created = detail.createdAt > since;
	const moves = serverMoves
		.filter((m) => m.cardId === detail.id)
		.map(({ from, to }) => ({ from, to }));
	// A move the page has not heard of from the server yet (made after it loaded).
	if (!created && moves.length === 0 && detail.movedAt > since) {
		moves.push({ from: null, to: detail.stage });
	}
	const comments = detail.comments.filter((c) => c.at > since).length;
	const inputs = detail.inputs.filter((i) => i.at > since).length;
	if (!created && moves.length === 0 && comments === 0 && inputs === 0) return null;
	return { created, moves, comments, inputs };
}
