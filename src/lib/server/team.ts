/**
 * Teams and their members. Who may call these (team admins, org admins) is decided by the routes
 * through access.ts; these functions only keep the data consistent.
 */
import type { Kysely } from 'kysely';
import type { Database } from './db/schema';
import { isRole, type Role } from '../roles';
import { isUniqueViolation, newId } from './id';

export type CreateTeamResult = { ok: true; teamId: string } | { ok: false; reason: 'name_taken' };

/** Creates a team; its creator (when given) becomes its first admin, so the team has one. */
export async function createTeam(
	db: Kysely<Database>,
	input: { organisationId: string; name: string; creatorId: string | null }
): Promise<CreateTeamResult> {
	const name = input.name.trim();
	const existing = await db
		.selectFrom('teams')
		.select('id')
		.where('organisation_id', '=', input.organisationId)
		.where((eb) => eb.fn('lower', ['name']), '=', name.toLowerCase())
		.executeTakeFirst();
	if (existing) return { ok: false, reason: 'name_taken' };
	const teamId = newId('team');
	try {
		await db.transaction().execute(async (trx) => {
			await trx
				.insertInto('teams')
				.values({ id: teamId, organisation_id: input.organisationId, name })
				.execute();
			if (input.creatorId) await addTeamMember(trx, teamId, input.creatorId, 'admin');
		});
	} catch (error) {
		if (isUniqueViolation(error)) return { ok: false, reason: 'name_taken' };
		throw error;
	}
	return { ok: true, teamId };
}

/** Adds a person to a team; someone already in it keeps their role ("already_member"). */
export async function addTeamMember(
	db: Kysely<Database>,
	teamId: string,
	userId: string,
	role: Role
): Promise<'added' | 'already_member'> {
	const inserted = await db
		.insertInto('team_members')
		.values({ team_id: teamId, user_id: userId, role })
		.onConflict((oc) => oc.columns(['team_id', 'user_id']).doNothing())
		.returning('user_id')
		.executeTakeFirst();
	return inserted ? 'added' : 'already_member';
}

/** The person's own role in the team (not counting org-admin rights), or null. */
export async function getMemberRole(
	db: Kysely<Database>,
	teamId: string,
	userId: string
): Promise<Role | null> {
	const row = await db
		.selectFrom('team_members')
		.select('role')
		.where('team_id', '=', teamId)
		.where('user_id', '=', userId)
		.executeTakeFirst();
	return row && isRole(row.role) ? row.role : null;
}

export interface TeamMemberRow {
	userId: string;
	name: string;
	email: string;
	role: Role;
}

export async function listTeamMembers(
	db: Kysely<Database>,
	teamId: string
): Promise<TeamMemberRow[]> {
	const rows = await db
		.selectFrom('team_members')
		.innerJoin('users', 'users.id', 'team_members.user_id')
		.select(['users.id', 'users.name', 'users.email', 'team_members.role'])
		.where('team_members.team_id', '=', teamId)
		.orderBy('users.name')
		.orderBy('users.email')
		.execute();
	return rows.flatMap((r) =>
		isRole(r.role) ? [{ userId: r.id, name: r.name, email: r.email, role: r.role }] : []
	);
}

export type MemberChangeResult = { ok: true } | { ok: false; reason: 'not_member' };

export async function setTeamMemberRole(
	db: Kysely<Database>,
	teamId: string,
	userId: string,
	role: Role
): Promise<MemberChangeResult> {
	const result = await db
		.updateTable('team_members')
		.set({ role })
		.where('team_id', '=', teamId)
		.where('user_id', '=', userId)
		.executeTakeFirst();
	return result.numUpdatedRows > 0n ? { ok: true } : { ok: false, reason: 'not_member' };
}

export async function removeTeamMember(
	db: Kysely<Database>,
	teamId: string,
	userId: string
): Promise<MemberChangeResult> {
	const result = await db
		.deleteFrom('team_members')
		.where('team_id', '=', teamId)
		.where('user_id', '=', userId)
		.executeTakeFirst();
	return result.numDeletedRows > 0n ? { ok: true } : { ok: false, reason: 'not_member' };
}

/** The organisation's teams by name (org admin screens). */
export async function listOrganisationTeams(
	db: Kysely<Database>,
	organisationId: string
): Promise<{ id: string; name: string; memberCount: number }[]> {
	const rows = await db
		.selectFrom('teams')
		.leftJoin('team_members', 'team_members.team_id', 'teams.id')
		.select((eb) => [
			'teams.id',
			'teams.name',
			eb.fn.count<string>('team_members.user_id').as('members')
		])
		.where('teams.organisation_id', '=', organisationId)
		.groupBy(['teams.id', 'teams.name'])
		.orderBy('teams.name')
		.execute();
	return rows.map((r) => ({ id: r.id, name: r.name, memberCount: Number(r.members) }));
}
