import { requireTeamPermission } from '$lib/server/guards';
import { adoptFromForm, loadStandardsPage } from '$lib/server/standards-page';
import type { Actions, PageServerLoad } from './$types';

/** One team's standards (the team's own view of the library). */
export const load: PageServerLoad = async (event) => {
	const { access } = await requireTeamPermission(event, event.params.teamId);
	return {
		team: { id: access.teamId, name: access.teamName },
		...(await loadStandardsPage(event, access.teamId))
	};
};

export const actions: Actions = {
	adopt: async (event) => {
		await requireTeamPermission(event, event.params.teamId);
		return adoptFromForm(event);
	}
};
