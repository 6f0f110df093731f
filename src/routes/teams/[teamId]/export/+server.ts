import { jsonExportResponse } from '$lib/server/export/download';
import { requireTeamPermission } from '$lib/server/guards';
import { roleAtLeast } from '$lib/roles';
import type { RequestHandler } from './$types';

/** Every board of the team as one JSON file: managers and admins of the team. */
export const GET: RequestHandler = async (event) => {
	const { user, access } = await requireTeamPermission(event, event.params.teamId, (role) =>
		roleAtLeast(role, 'manager')
	);
	return jsonExportResponse(
		event.locals.runtime.database.db,
		{ kind: 'team', organisationId: user.organisationId, teamId: access.teamId },
		access.teamId
	);
};
