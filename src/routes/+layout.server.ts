import { listTeamsFor } from '$lib/server/access';
import type { TeamSummaryDto, UserDto } from '$lib/types';
import type { LayoutServerLoad } from './$types';

/** Every page gets the signed-in person (or null) and their teams for the navigation. */
export const load: LayoutServerLoad = async ({ locals }) => {
	const { user } = locals;
	if (!user) return { user: null, teams: [] };
	const teams = await listTeamsFor(locals.runtime.database.db, user);
	return {
		user: {
			id: user.id,
			name: user.name,
			email: user.email,
			isOrgAdmin: user.isOrgAdmin
		} satisfies UserDto,
		teams: teams.map((t): TeamSummaryDto => ({ id: t.teamId, name: t.teamName, role: t.role }))
	};
};
