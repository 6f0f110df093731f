import { json } from '@sveltejs/kit';
import { requireCardApi } from '$lib/server/board-api';
import { listCardEvents } from '$lib/server/card-events';
import type { CardEventsResponse } from '$lib/types';
import type { RequestHandler } from './$types';

/** The card's stage history (every role that sees the board, viewers included). */
export const GET: RequestHandler = async (event) => {
	const { boardId, cardId } = event.params;
	await requireCardApi(event, boardId, cardId);
	const events = await listCardEvents(event.locals.runtime.database.db, boardId, cardId);
	return json({ events } satisfies CardEventsResponse);
};
