import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { canEditBoard } from '$lib/roles';
import { getBoardAccess } from '$lib/server/access';
import { requireUser } from '$lib/server/guards';
import { isWellFormedId } from '$lib/server/id';
import type { PageServerLoad } from './$types';

/**
 * The phone's idea page for one board (the stand-up screen's QR code opens it): for the board's
 * team. Viewers see it too, but may not propose: the server drops their document writes anyway.
 */
export const load: PageServerLoad = async (event) => {
	const { user } = requireUser(event);
	const { boardId } = event.params;
	if (!isWellFormedId(boardId)) error(404, m.error_not_found());
	const access = await getBoardAccess(event.locals.runtime.database.db, user, boardId);
	if (!access) error(404, m.error_not_found());
	return {
		board: { id: access.boardId, name: access.boardName, teamName: access.teamName },
		role: access.role,
		canPropose: canEditBoard(access.role),
		user: { id: user.id, name: user.name }
	};
};
