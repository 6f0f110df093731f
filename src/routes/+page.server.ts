import { redirect } from '@sveltejs/kit';
import { listTeamsFor } from '$lib/server/access';
import { listBoardsOfTeams } from '$lib/server/board';
import { organisationExists } from '$lib/server/organisation';
import type { TeamWithBoardsDto } from '$lib/types';
import type { PageServerLoad } from './$types';

/** The dashboard: the person's teams and their boards. A fresh install goes to /setup first. */
export const load: PageServerLoad = async ({ locals }) => {
	const db = locals.runtime.database.db;
	if (!locals.user) {
		redirect(303, (await organisationExists(db)) ? '/signin' : '/setup');
	}
	const teams = await listTeamsFor(db, locals.user);
	const boards = await listBoardsOfTeams(
		db,
		teams.map((t) => t.teamId)
	);
	return {
		teams: teams.map((t): TeamWithBoardsDto => ({
			id: t.teamId,
			name: t.teamName,
			role: t.role,
			boards: boards.filter((b) => b.teamId === t.teamId)
		}))
	};
};
