/**
 * The people a card can name (owner, @mentions, affected, guests): the board's team first, then
 * the rest of the organisation (DESIGN.md §2.8: a card may involve people from other teams).
 */
import { sql, type Kysely } from 'kysely';
import type { BoardPersonDto } from '../types';
import type { Database } from './db/schema';

/** Everyone in the board's organisation, team members first, each group by name. */
export async function listBoardPeople(
	db: Kysely<Database>,
	board: { teamId: string; teamName: string; organisationId: string }
): Promise<BoardPersonDto[]> {
	const rows = await db
		.selectFrom('users')
		.leftJoin('team_members as own', (join) =>
			join.onRef('own.user_id', '=', 'users.id').on('own.team_id', '=', board.teamId)
		)
		.select([
			'users.id',
			'users.name',
			'own.user_id as member_id',
			// Someone outside the team is shown with the first of their teams, for telling names apart.
			sql<string | null>`(
				select t.name from team_members tm join teams t on t.id = tm.team_id
				where tm.user_id = users.id order by t.name limit 1
			)`.as('first_team_name')
		])
		.where('users.organisation_id', '=', board.organisationId)
		.orderBy(sql`own.user_id is null`)
		.orderBy('users.name')
		.orderBy('users.id')
		.execute();
	return rows.map((row) => {
		const isTeamMember = row.member_id !== null;
		return {
			id: row.id,
			name: row.name,
			teamName: isTeamMember ? board.teamName : row.first_team_name,
			isTeamMember
		};
	});
}

/** Is this person in the organisation, and in the team? Null when not in the organisation. */
export async function findOrganisationPerson(
	db: Kysely<Database>,
	organisationId: string,
	teamId: string,
	userId: string
): Promise<{ id: string; name: string; isTeamMember: boolean } | null> {
	const row = await db
		.selectFrom('users')
		.leftJoin('team_members', (join) =>
			join.onRef('team_members.user_id', '=', 'users.id').on('team_members.team_id', '=', teamId)
		)
		.select(['users.id', 'users.name', 'team_members.user_id as member_id'])
		.where('users.id', '=', userId)
		.where('users.organisation_id', '=', organisationId)
		.executeTakeFirst();
	return row ? { id: row.id, name: row.name, isTeamMember: row.member_id !== null } : null;
}
