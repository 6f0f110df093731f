import { listPersonalFollowUp, serverToday } from '$lib/server/follow-up';
import { requireUser } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

/** The signed-in person's follow-up: overdue cards, input asked of them, their support requests. */
export const load: PageServerLoad = async (event) => {
	const { user } = requireUser(event);
	const today = serverToday();
	return {
		today,
		followUp: await listPersonalFollowUp(event.locals.runtime.database.db, user, today)
	};
};
