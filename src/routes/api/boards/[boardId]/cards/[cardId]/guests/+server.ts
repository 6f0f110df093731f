import { error, json } from '@sveltejs/kit';
import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { canEditBoard } from '$lib/roles';
import { requireCardApi } from '$lib/server/board-api';
import { readJsonBody } from '$lib/server/json-body';
import { addCardGuest, listCardGuests, removeCardGuest } from '$lib/server/card-guests';
import type { RequestHandler } from './$types';

const GuestBody = v.object({ userId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/)) });

/** `{ userId }` from the JSON body (never the query string); 415 or 400 with a message otherwise. */
async function readUserId(request: Request): Promise<string> {
	const body = await readJsonBody(request, GuestBody);
	if (!body.ok) {
		if (body.reason === 'not_json') error(415, m.security_json_required());
		error(400, m.pdca_api_bad_body());
	}
	return body.data.userId;
}

/** The card's guests (people of other teams involved in it). */
export const GET: RequestHandler = async (event) => {
	const { boardId, cardId } = event.params;
	await requireCardApi(event, boardId, cardId);
	const guests = await listCardGuests(event.locals.runtime.database.db, boardId, cardId);
	return json({ guests });
};

/** A member of the team involves a person of another team in this card. */
export const POST: RequestHandler = async (event) => {
	const { boardId, cardId } = event.params;
	const { user, access } = await requireCardApi(event, boardId, cardId, canEditBoard);
	const userId = await readUserId(event.request);
	const result = await addCardGuest(event.locals.runtime.database.db, {
		board: { id: boardId, teamId: access.teamId, organisationId: user.organisationId },
		cardId,
		userId,
		addedBy: user.id
	});
	if (!result.ok) {
		if (result.reason === 'no_card') error(404, m.error_not_found());
		error(
			400,
			result.reason === 'team_member'
				? m.pdca_api_guest_team_member()
				: m.pdca_api_guest_no_person()
		);
	}
	event.locals.runtime.log.info(
		{ boardId, cardId, guest: userId, by: user.id },
		'card guest added'
	);
	return new Response(null, { status: 204 });
};

export const DELETE: RequestHandler = async (event) => {
	const { boardId, cardId } = event.params;
	const { user } = await requireCardApi(event, boardId, cardId, canEditBoard);
	const userId = await readUserId(event.request);
	await removeCardGuest(event.locals.runtime.database.db, { boardId, cardId, userId });
	event.locals.runtime.log.info(
		{ boardId, cardId, guest: userId, by: user.id },
		'card guest removed'
	);
	return new Response(null, { status: 204 });
};
