import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getBoardAccess } from '$lib/server/access';
import { requireUser } from '$lib/server/guards';
import { isWellFormedId } from '$lib/server/id';
import type { BoardPageData } from '$lib/types';
import type { PageServerLoad } from './$types';

/**
 * A board: only for people in its team (and org admins). Anyone else gets 404, so a board of
 * another team cannot even be shown to exist. The DTO's shape is BoardPageData (keep it stable).
 */
export const load: PageServerLoad = async (event): Promise<BoardPageData> => {
	const { user } = requireUser(event);
	const { boardId } = event.params;
	if (!isWellFormedId(boardId)) error(404, m.error_not_found());
	const access = await getBoardAccess(event.locals.runtime.database.db, user, boardId);
	if (!access) error(404, m.error_not_found());
	return {
		board: {
			id: access.boardId,
			name: access.boardName,
			teamId: access.teamId,
			teamName: access.teamName
		},
		role: access.role,
		user: { id: user.id, name: user.name }
	};
};
