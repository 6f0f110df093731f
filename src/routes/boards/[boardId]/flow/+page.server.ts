import { loadFlowPage } from '$lib/server/analytics/flow-page';
import { requireFlowScope } from '$lib/server/analytics/flow-guard';
import type { PageServerLoad } from './$types';

/** A board's flow report: managers of its team and org admins (404/403 otherwise). */
export const load: PageServerLoad = async (event) => {
	const scope = await requireFlowScope(event, { kind: 'board', boardId: event.params.boardId });
	return loadFlowPage(event.locals.runtime.database.db, scope, event.url);
};
