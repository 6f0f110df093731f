import { jsonExportResponse } from '$lib/server/export/download';
import { requireOrgAdmin } from '$lib/server/guards';
import type { RequestHandler } from './$types';

/** The whole organisation as one JSON file: organisation admins only. */
export const GET: RequestHandler = async (event) => {
	const user = requireOrgAdmin(event);
	return jsonExportResponse(
		event.locals.runtime.database.db,
		{ kind: 'organisation', organisationId: user.organisationId },
		user.organisationId
	);
};
