/**
 * Who may read which flow report (issue 10): organisation admins every board, managers (and team
 * admins) the teams they manage. A board or team that is not the person's to see is 404 (its
 * existence stays hidden, as access.ts decides); one they are in without managing it is 403.
 */
import type { Kysely } from 'kysely';
import { canReadFlowReports } from '../../analytics/access';
import { getBoardAccess, getTeamAccess, listTeamsFor, type Actor } from '../access';
import type { Database } from '../db/schema';

export type FlowScopeKind = 'board' | 'team' | 'organisation';

export interface FlowScope {
	kind: FlowScopeKind;
	/** The board's or team's name; the organisation's for the whole report. */
	name: string;
	boardIds: string[];
	teamIds: string[];
	/** Where the scope's board or team lives (for links back). */
	boardId: string | null;
	teamId: string | null;
}

export type FlowScopeResult = { ok: true; scope: FlowScope } | { ok: false; status: 403 | 404 };

export async function resolveBoardScope(
	db: Kysely<Database>,
	actor: Actor,
	boardId: string
): Promise<FlowScopeResult> {
	const access = await getBoardAccess(db, actor, boardId);
	if (!access) return { ok: false, status: 404 };
	if (!canReadFlowReports(access.role)) return { ok: false, status: 403 };
	return {
		ok: true,
		scope: {
			kind: 'board',
			name: access.boardName,
			boardIds: [access.boardId],
			teamIds: [access.teamId],
			boardId: access.boardId,
			teamId: access.teamId
		}
	};
}

export async function resolveTeamScope(
	db: Kysely<Database>,
	actor: Actor,
	teamId: string
): Promise<FlowScopeResult> {
	const access = await getTeamAccess(db, actor, teamId);
	if (!access) return { ok: false, status: 404 };
	if (!canReadFlowReports(access.role)) return { ok: false, status: 403 };
	const boards = await db
		.selectFrom('boards')
		.select('id')
		.where('team_id', '=', access.teamId)
		.execute();
	return {
		ok: true,
		scope: {
			kind: 'team',
			name: access.teamName,
			boardIds: boards.map((b) => b.id),
			teamIds: [access.teamId],
			boardId: null,
			teamId: access.teamId
		}
	};
}

/** Every team the person manages (all of the organisation's for an org admin). */
export async function resolveOrganisationScope(
	db: Kysely<Database>,
	actor: Actor
): Promise<FlowScopeResult> {
	const teams = (await listTeamsFor(db, actor)).filter((t) => canReadFlowReports(t.role));
	if (teams.length === 0) return { ok: false, status: 403 };
	const teamIds = teams.map((t) => t.teamId);
	const [boards, organisation] = await Promise.all([
		db.selectFrom('boards').select('id').where('team_id', 'in', teamIds).execute(),
		db
			.selectFrom('organisations')
			.select('name')
			.where('id', '=', actor.organisationId)
			.executeTakeFirstOrThrow()
	]);
	return {
		ok: true,
		scope: {
			kind: 'organisation',
			name: organisation.name,
			boardIds: boards.map((b) => b.id),
			teamIds,
			boardId: null,
			teamId: null
		}
	};
}
