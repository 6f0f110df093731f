import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getBoardAccess } from '$lib/server/access';
import { requireUser } from '$lib/server/guards';
import { isWellFormedId } from '$lib/server/id';
import { listStandupSummaries } from '$lib/server/standup';
import type { PageServerLoad } from './$types';

/** The board's past stand-ups and what each kept: for the board's team (not the room's TV). */
export const load: PageServerLoad = async (event) => {
	const { user } = requireUser(event);
	const { boardId } = event.params;
	if (!isWellFormedId(boardId)) error(404, m.error_not_found());
	const db = event.locals.runtime.database.db;
	const access = await getBoardAccess(db, user, boardId);
	if (!access) error(404, m.error_not_found());
	return {
		board: { id: access.boardId, name: access.boardName },
		standups: await listStandupSummaries(db, access.boardId)
	};
};
