import { loadFlowPage } from '$lib/server/analytics/flow-page';
import { requireFlowScope } from '$lib/server/analytics/flow-guard';
import type { PageServerLoad } from './$types';

/** Across the organisation: every team for an org admin, the teams a manager leads (403 for others). */
export const load: PageServerLoad = async (event) => {
	const scope = await requireFlowScope(event, { kind: 'organisation' });
	return loadFlowPage(event.locals.runtime.database.db, scope, event.url);
};
