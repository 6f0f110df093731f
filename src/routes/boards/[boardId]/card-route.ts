/**
 * The open card lives in the board's address (`?card=<id>`, the shape src/lib/links.ts builds), so
 * a link, a reload or a bookmark opens the board with the card's panel, and Back closes it.
 */
const CARD_PARAM = 'card';
const CARD_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function cardIdFromUrl(url: URL): string | null {
	const id = url.searchParams.get(CARD_PARAM);
	return id && CARD_ID.test(id) ? id : null;
}

/** The same address with `cardId` open (or none); every other parameter (the filters) is kept. */
export function urlWithCard(url: URL, cardId: string | null): URL {
	const next = new URL(url);
	if (cardId) next.searchParams.set(CARD_PARAM, cardId);
	else next.searchParams.delete(CARD_PARAM);
	next.hash = '';
	return next;
}

/** The same address with another query (e.g. the filters written in). */
export function urlWithQuery(url: URL, params: URLSearchParams): URL {
	const next = new URL(url);
	next.search = params.toString();
	return next;
}
