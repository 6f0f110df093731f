import { canCreateBoards } from '$lib/roles';
import { requireTeamPermission } from '$lib/server/guards';
import { IMPORT_LIMITS } from '$lib/server/import/plan';
import type { PageServerLoad } from './$types';

/** Importing creates a board: the team's managers and admins. */
export const load: PageServerLoad = async (event) => {
	const { access } = await requireTeamPermission(event, event.params.teamId, canCreateBoards);
	return {
		team: { id: access.teamId, name: access.teamName },
		maxMb: Math.round(IMPORT_LIMITS.maxBytes / 1048576)
	};
};
