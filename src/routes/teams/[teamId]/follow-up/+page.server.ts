import { listTeamFollowUp, serverToday } from '$lib/server/follow-up';
import { requireTeamPermission } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

/** A team's follow-up list (its manager's list): every role in the team may see it. */
export const load: PageServerLoad = async (event) => {
	const { user, access } = await requireTeamPermission(event, event.params.teamId);
	const today = serverToday();
	return {
		team: { id: access.teamId, name: access.teamName },
		today,
		followUp: await listTeamFollowUp(event.locals.runtime.database.db, user, access.teamId, today)
	};
};
