import { json } from '@sveltejs/kit';
import { requireBoardApi } from '$lib/server/board-api';
import { listBoardPeople } from '$lib/server/board-people';
import type { BoardPeopleResponse } from '$lib/types';
import type { RequestHandler } from './$types';

/** Everyone a card may name: the board's team first, then the rest of the organisation. */
export const GET: RequestHandler = async (event) => {
	const { user, access } = await requireBoardApi(event, event.params.boardId);
	const people = await listBoardPeople(event.locals.runtime.database.db, {
		teamId: access.teamId,
		teamName: access.teamName,
		organisationId: user.organisationId
	});
	return json({ people } satisfies BoardPeopleResponse);
};
