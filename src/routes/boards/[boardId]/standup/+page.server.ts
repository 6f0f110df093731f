import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { canEditBoard, roleAtLeast } from '$lib/roles';
import { readerIdentity, requireBoardReader } from '$lib/server/board-reader';
import { failForm, idField, parseForm } from '$lib/server/forms';
import { getBoardAccess } from '$lib/server/access';
import { requireUser } from '$lib/server/guards';
import { isWellFormedId } from '$lib/server/id';
import {
	endStandup,
	getOpenStandup,
	lastStandupEnd,
	listMovesBetween,
	startStandup,
	StandupReportSchema
} from '$lib/server/standup';
import { listTeamMembers } from '$lib/server/team';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/**
 * The stand-up screen: for the board's team and for the room's TV (a display link of this board,
 * always a viewer). Running the meeting (start, end) needs a person who may edit the board.
 */
export const load: PageServerLoad = async (event) => {
	const reader = await requireBoardReader(event, event.params.boardId);
	const { access } = reader;
	const db = event.locals.runtime.database.db;
	const [standup, lastEnd, members] = await Promise.all([
		getOpenStandup(db, access.boardId),
		lastStandupEnd(db, access.boardId),
		reader.kind === 'person' ? listTeamMembers(db, access.teamId) : Promise.resolve([])
	]);
	const moves = lastEnd ? await listMovesBetween(db, access.boardId, lastEnd) : [];
	return {
		board: {
			id: access.boardId,
			name: access.boardName,
			teamId: access.teamId,
			teamName: access.teamName
		},
		role: access.role,
		user: readerIdentity(reader),
		isDisplay: reader.kind === 'display',
		canManageDisplays: reader.kind === 'person' && roleAtLeast(access.role, 'manager'),
		standup,
		since: lastEnd?.toISOString() ?? null,
		moves: moves.map(({ cardId, from, to }) => ({ cardId, from, to })),
		members: members.map((p) => ({ id: p.userId, name: p.name })),
		captureUrl: `${event.url.origin}/capture/${access.boardId}`
	};
};

async function requireRunner(event: RequestEvent) {
	const { user } = requireUser(event);
	const { boardId } = event.params;
	if (!isWellFormedId(boardId)) error(404, m.error_not_found());
	const access = await getBoardAccess(event.locals.runtime.database.db, user, boardId);
	if (!access) error(404, m.error_not_found());
	if (!canEditBoard(access.role)) error(403, m.error_forbidden());
	return { user, access };
}

const EndForm = v.object({ standupId: idField, report: v.pipe(v.string(), v.maxLength(200_000)) });

export const actions: Actions = {
	start: async (event) => {
		const { user, access } = await requireRunner(event);
		const { standup, started } = await startStandup(
			event.locals.runtime.database.db,
			access.boardId,
			user.id
		);
		return { action: 'start', standup, started };
	},

	end: async (event) => {
		const { access } = await requireRunner(event);
		const parsed = parseForm(EndForm, await event.request.formData());
		if (!parsed.ok) return failForm(400, { action: 'end', message: m.form_error_generic() });
		let raw: unknown;
		try {
			raw = JSON.parse(parsed.data.report);
		} catch {
			return failForm(400, { action: 'end', message: m.form_error_generic() });
		}
		const report = v.safeParse(StandupReportSchema, raw);
		if (!report.success) return failForm(400, { action: 'end', message: m.form_error_generic() });
		const ended = await endStandup(
			event.locals.runtime.database.db,
			access.boardId,
			parsed.data.standupId,
			report.output
		);
		if (!ended) return failForm(409, { action: 'end', message: m.standup_already_ended() });
		return { action: 'end', done: m.standup_ended() };
	}
};
