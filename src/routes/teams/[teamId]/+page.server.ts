import { redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { canCreateBoards, canManageMembers } from '$lib/roles';
import { listBoardsOfTeams, createBoard } from '$lib/server/board';
import { failForm, keepValues, nameField, parseForm } from '$lib/server/forms';
import { requireTeamPermission } from '$lib/server/guards';
import type { BoardSummaryDto } from '$lib/types';
import type { Actions, PageServerLoad } from './$types';

const CreateBoardForm = v.object({ name: nameField });

/** A team's page: its boards; managers and admins may create one. */
export const load: PageServerLoad = async (event) => {
	const { access } = await requireTeamPermission(event, event.params.teamId);
	const boards = await listBoardsOfTeams(event.locals.runtime.database.db, [access.teamId]);
	return {
		team: { id: access.teamId, name: access.teamName, role: access.role },
		boards: boards.map((b): BoardSummaryDto => ({ id: b.id, name: b.name, teamId: b.teamId })),
		canCreateBoards: canCreateBoards(access.role),
		canManageMembers: canManageMembers(access.role),
		welcome: event.url.searchParams.has('welcome')
	};
};

export const actions: Actions = {
	createBoard: async (event) => {
		const { access, user } = await requireTeamPermission(
			event,
			event.params.teamId,
			canCreateBoards
		);
		const formData = await event.request.formData();
		const parsed = parseForm(CreateBoardForm, formData);
		if (!parsed.ok)
			return failForm(400, { errors: parsed.errors, values: keepValues(formData, ['name']) });
		const { boardId } = await createBoard(event.locals.runtime.database.db, {
			teamId: access.teamId,
			name: parsed.data.name
		});
		event.locals.runtime.log.info(
			{ boardId, teamId: access.teamId, userId: user.id },
			'board created'
		);
		redirect(303, `/boards/${boardId}`);
	}
};
