/**
 * Where a card opens: the one place that builds card URLs, so lists (follow-up, inbox, standards)
 * and the card detail agree. Team members open a card on its board (the live board opens the
 * card's detail from `?card=`); people of other teams involved in one card (guests) and readers
 * of another team's standard open the card's own read view.
 */
export function boardCardHref(boardId: string, cardId: string): string {
	return `/boards/${encodeURIComponent(boardId)}?card=${encodeURIComponent(cardId)}`;
}

export function guestCardHref(boardId: string, cardId: string): string {
	return `/cards/${encodeURIComponent(boardId)}/${encodeURIComponent(cardId)}`;
}

/** The link for someone who is (`onTeam`) or is not a member of the card's team. */
export function cardHref(boardId: string, cardId: string, onTeam: boolean): string {
	return onTeam ? boardCardHref(boardId, cardId) : guestCardHref(boardId, cardId);
}
