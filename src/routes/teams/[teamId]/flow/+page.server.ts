import { loadFlowPage } from '$lib/server/analytics/flow-page';
import { requireFlowScope } from '$lib/server/analytics/flow-guard';
import type { PageServerLoad } from './$types';

/** A team's flow report over all its boards: its managers and org admins (404/403 otherwise). */
export const load: PageServerLoad = async (event) => {
	const scope = await requireFlowScope(event, { kind: 'team', teamId: event.params.teamId });
	return loadFlowPage(event.locals.runtime.database.db, scope, event.url);
};
