/**
 * Invite links: a random token shown once to the admin who made it; only its SHA-256 is stored,
 * like a session's. An invite names a team and a role, expires, can be revoked, and allows a
 * number of uses. Using one is a single guarded UPDATE (`use_count < max_uses`, not revoked, not
 * expired), so two people racing for the last use cannot both get in.
 */
import type { Kysely } from 'kysely';
import type { Database } from './db/schema';
import { isRole, type Role } from '../roles';
import { newId } from './id';
import { hashPassword } from './password';
import { generateRandomToken, hashToken } from './session';
import { addTeamMember, getMemberRole } from './team';
import { insertUser, type NewAccount } from './user';

const DAY_MS = 24 * 60 * 60 * 1000;
export const INVITE_VALID_DAYS = [1, 7, 14, 30] as const;
export const INVITE_MAX_USES = 100;

export type InviteProblem = 'not_found' | 'expired' | 'revoked' | 'used_up';

export interface ValidInvite {
	id: string;
	organisationId: string;
	teamId: string;
	teamName: string;
	role: Role;
	expiresAt: Date;
}

/** The team an unusable invite was for, when the invite exists (to tell its members so). */
export interface InviteTeam {
	organisationId: string;
	teamId: string;
	teamName: string;
}

export type InviteLookup =
	{ ok: true; invite: ValidInvite } | { ok: false; reason: InviteProblem; team?: InviteTeam };

function isWellFormedInviteToken(token: string): boolean {
	return /^[a-z2-7]{32}$/.test(token);
}

export async function createInvite(
	db: Kysely<Database>,
	input: {
		organisationId: string;
		teamId: string;
		role: Role;
		createdBy: string;
		validForDays: number;
		maxUses: number;
	},
	now = new Date()
): Promise<{ token: string; inviteId: string; expiresAt: Date }> {
	const token = generateRandomToken();
	const inviteId = newId('inv');
	const expiresAt = new Date(now.getTime() + input.validForDays * DAY_MS);
	await db
		.insertInto('invites')
		.values({
			id: inviteId,
			token_hash: hashToken(token),
			organisation_id: input.organisationId,
			team_id: input.teamId,
			role: input.role,
			created_by: input.createdBy,
			max_uses: input.maxUses,
			expires_at: expiresAt
		})
		.execute();
	return { token, inviteId, expiresAt };
}

export interface OpenInviteRow {
	id: string;
	role: Role;
	expiresAt: Date;
	maxUses: number;
	useCount: number;
	createdByName: string | null;
}

/** Invites of a team that can still be used: not revoked, not expired, not used up. */
export async function listOpenInvites(
	db: Kysely<Database>,
	teamId: string,
	now = new Date()
): Promise<OpenInviteRow[]> {
	const rows = await db
		.selectFrom('invites')
		.leftJoin('users', 'users.id', 'invites.created_by')
		.select([
			'invites.id',
			'invites.role',
			'invites.expires_at',
			'invites.max_uses',
			'invites.use_count',
			'users.name as created_by_name'
		])
		.where('invites.team_id', '=', teamId)
		.where('invites.revoked_at', 'is', null)
		.where('invites.expires_at', '>', now)
		.whereRef('invites.use_count', '<', 'invites.max_uses')
		.orderBy('invites.created_at', 'desc')
		.execute();
	return rows.flatMap((r) =>
		isRole(r.role)
			? [
					{
						id: r.id,
						role: r.role,
						expiresAt: r.expires_at,
						maxUses: r.max_uses,
						useCount: r.use_count,
						createdByName: r.created_by_name
					}
				]
			: []
	);
}

/** Revokes an open invite of this team (an invite of another team is "not_found"). */
export async function revokeInvite(
	db: Kysely<Database>,
	teamId: string,
	inviteId: string,
	now = new Date()
): Promise<{ ok: true } | { ok: false; reason: 'not_found' }> {
	const result = await db
		.updateTable('invites')
		.set({ revoked_at: now })
		.where('id', '=', inviteId)
		.where('team_id', '=', teamId)
		.where('revoked_at', 'is', null)
		.executeTakeFirst();
	return result.numUpdatedRows > 0n ? { ok: true } : { ok: false, reason: 'not_found' };
}

/** What an invite link leads to: a usable invite, or why not. */
export async function findInvite(
	db: Kysely<Database>,
	token: string,
	now = new Date()
): Promise<InviteLookup> {
	if (!isWellFormedInviteToken(token)) return { ok: false, reason: 'not_found' };
	const row = await db
		.selectFrom('invites')
		.innerJoin('teams', 'teams.id', 'invites.team_id')
		.select([
			'invites.id',
			'invites.organisation_id',
			'invites.team_id',
			'teams.name as team_name',
			'invites.role',
			'invites.expires_at',
			'invites.revoked_at',
			'invites.use_count',
			'invites.max_uses'
		])
		.where('invites.token_hash', '=', hashToken(token))
		.executeTakeFirst();
	if (!row || !isRole(row.role)) return { ok: false, reason: 'not_found' };
	const team = {
		organisationId: row.organisation_id,
		teamId: row.team_id,
		teamName: row.team_name
	};
	// Revoked first: an admin's explicit "no" is the most useful thing to say.
	if (row.revoked_at) return { ok: false, reason: 'revoked', team };
	if (row.expires_at.getTime() <= now.getTime()) return { ok: false, reason: 'expired', team };
	if (row.use_count >= row.max_uses) return { ok: false, reason: 'used_up', team };
	return {
		ok: true,
		invite: {
			id: row.id,
			organisationId: row.organisation_id,
			teamId: row.team_id,
			teamName: row.team_name,
			role: row.role,
			expiresAt: row.expires_at
		}
	};
}

/** Takes one use of the invite, or answers why it cannot be used. */
async function consumeInvite(
	db: Kysely<Database>,
	token: string,
	now: Date
): Promise<InviteLookup> {
	if (!isWellFormedInviteToken(token)) return { ok: false, reason: 'not_found' };
	const used = await db
		.updateTable('invites')
		.set((eb) => ({ use_count: eb('use_count', '+', 1) }))
		.where('token_hash', '=', hashToken(token))
		.where('revoked_at', 'is', null)
		.where('expires_at', '>', now)
		.whereRef('use_count', '<', 'max_uses')
		.returning(['id', 'organisation_id', 'team_id', 'role', 'expires_at'])
		.executeTakeFirst();
	if (!used || !isRole(used.role)) {
		const lookup = await findInvite(db, token, now);
		// Valid a moment ago but not now: someone else took the last use.
		return lookup.ok ? { ok: false, reason: 'used_up', team: lookup.invite } : lookup;
	}
	const team = await db
		.selectFrom('teams')
		.select('name')
		.where('id', '=', used.team_id)
		.executeTakeFirstOrThrow();
	return {
		ok: true,
		invite: {
			id: used.id,
			organisationId: used.organisation_id,
			teamId: used.team_id,
			teamName: team.name,
			role: used.role,
			expiresAt: used.expires_at
		}
	};
}

export type AcceptInviteResult =
	| { ok: true; teamId: string; teamName: string; outcome: 'joined' | 'already_member' }
	| { ok: false; reason: InviteProblem };

/**
 * A signed-in person uses an invite: they join its team with its role. Someone already in the
 * team keeps their role, the invite keeps its use, and the answer says so.
 */
export async function acceptInvite(
	db: Kysely<Database>,
	token: string,
	user: { id: string; organisationId: string },
	now = new Date()
): Promise<AcceptInviteResult> {
	const lookup = await findInvite(db, token, now);
	const team = lookup.ok ? lookup.invite : lookup.team;
	// An invite from another organisation is as good as unknown to this person.
	if (!team || team.organisationId !== user.organisationId) {
		return { ok: false, reason: 'not_found' };
	}
	const { teamId, teamName } = team;
	return db.transaction().execute(async (trx): Promise<AcceptInviteResult> => {
		// Checked before the invite's state: a member re-opening a used link is told they are in.
		if ((await getMemberRole(trx, teamId, user.id)) !== null) {
			return { ok: true, teamId, teamName, outcome: 'already_member' };
		}
		const consumed = await consumeInvite(trx, token, now);
		if (!consumed.ok) return { ok: false, reason: consumed.reason };
		await addTeamMember(trx, teamId, user.id, consumed.invite.role);
		return { ok: true, teamId, teamName, outcome: 'joined' };
	});
}

export type SignUpWithInviteResult =
	| { ok: true; userId: string; teamId: string }
	| { ok: false; reason: InviteProblem | 'email_taken' };

class Rollback extends Error {
	constructor(readonly result: SignUpWithInviteResult) {
		super('rollback');
	}
}

/** A signed-out person uses an invite: a new account in the invite's team, or nothing at all. */
export async function signUpWithInvite(
	db: Kysely<Database>,
	token: string,
	account: NewAccount,
	now = new Date()
): Promise<SignUpWithInviteResult> {
	const lookup = await findInvite(db, token, now);
	if (!lookup.ok) return { ok: false, reason: lookup.reason };
	const passwordHash = await hashPassword(account.password);
	try {
		return await db.transaction().execute(async (trx): Promise<SignUpWithInviteResult> => {
			const consumed = await consumeInvite(trx, token, now);
			if (!consumed.ok) throw new Rollback({ ok: false, reason: consumed.reason });
			const { invite } = consumed;
			const created = await insertUser(trx, {
				organisationId: invite.organisationId,
				name: account.name,
				email: account.email,
				passwordHash,
				isOrgAdmin: false,
				locale: account.locale
			});
			// Throwing rolls back the invite's use as well: a failed sign-up costs nothing.
			if (!created.ok) throw new Rollback({ ok: false, reason: created.reason });
			await addTeamMember(trx, invite.teamId, created.userId, invite.role);
			return { ok: true, userId: created.userId, teamId: invite.teamId };
		});
	} catch (error) {
		if (error instanceof Rollback) return error.result;
		throw error;
	}
}
