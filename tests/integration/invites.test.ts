import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import {
	acceptInvite,
	createInvite,
	findInvite,
	listOpenInvites,
	revokeInvite,
	signUpWithInvite
} from '../../src/lib/server/invite';
import { hashToken } from '../../src/lib/server/session';
import { getMemberRole } from '../../src/lib/server/team';
import { authenticateUser } from '../../src/lib/server/user';
import { openTestDatabase } from '../helpers/test-database';
import { seedMember, seedOrganisation, seedTeam, seedUser } from '../helpers/seed';

let database: OpenDatabase;
beforeAll(async () => {
	database = await openTestDatabase();
});
afterAll(async () => {
	await database.close();
});

const DAY = 24 * 60 * 60 * 1000;

async function setup(options: { role?: 'member' | 'viewer'; maxUses?: number } = {}) {
	const { db } = database;
	const org = await seedOrganisation(db);
	const team = await seedTeam(db, org, 'Förskolan Solen');
	const admin = await seedUser(db, org, { isOrgAdmin: true });
	const invite = await createInvite(db, {
		organisationId: org,
		teamId: team,
		role: options.role ?? 'member',
		createdBy: admin.id,
		validForDays: 7,
		maxUses: options.maxUses ?? 1
	});
	return { org, team, admin, ...invite };
}

let emailCounter = 0;
const account = () => ({
	name: 'Helena',
	email: `helena${emailCounter++}@example.se`,
	password: 'helena’s long passphrase',
	locale: 'sv' as const
});

async function countRows(table: 'users' | 'team_members') {
	const row = await database.db
		.selectFrom(table)
		.select((eb) => eb.fn.countAll<string>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

async function useCount(inviteId: string) {
	const row = await database.db
		.selectFrom('invites')
		.select('use_count')
		.where('id', '=', inviteId)
		.executeTakeFirstOrThrow();
	return row.use_count;
}

describe('invite links', () => {
	it('store only the token’s hash and resolve to the team and role', async () => {
		const { db } = database;
		const { token, inviteId, team } = await setup({ role: 'viewer' });
		const row = await db
			.selectFrom('invites')
			.selectAll()
			.where('id', '=', inviteId)
			.executeTakeFirstOrThrow();
		expect(row.token_hash).toBe(hashToken(token));
		expect(JSON.stringify(row)).not.toContain(token);
		const found = await findInvite(db, token);
		expect(found.ok && [found.invite.teamId, found.invite.teamName, found.invite.role]).toEqual([
			team,
			'Förskolan Solen',
			'viewer'
		]);
		expect(await findInvite(db, 'not-a-token')).toEqual({ ok: false, reason: 'not_found' });
		expect(await findInvite(db, 'a'.repeat(32))).toEqual({ ok: false, reason: 'not_found' });
	});

	it('sign a new person up into the team with the invite’s role, once', async () => {
		const { db } = database;
		const { token, team, inviteId, org } = await setup({ role: 'viewer' });
		const newcomer = account();
		const result = await signUpWithInvite(db, token, newcomer);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.teamId).toBe(team);
		expect(await getMemberRole(db, team, result.userId)).toBe('viewer');
		expect(await authenticateUser(db, newcomer.email, newcomer.password)).not.toBeNull();
		expect(await useCount(inviteId)).toBe(1);

		// Used up: a second person gets a clear reason and nothing is stored.
		const users = await countRows('users');
		expect(await signUpWithInvite(db, token, account())).toEqual({
			ok: false,
			reason: 'used_up'
		});
		expect(await countRows('users')).toBe(users);
		expect(await listOpenInvites(db, team)).toEqual([]);

		// The newcomer opening their used link again is told they are in; nothing changes.
		const again = await acceptInvite(db, token, { id: result.userId, organisationId: org });
		expect(again).toMatchObject({ ok: true, teamId: team, outcome: 'already_member' });
		expect(await useCount(inviteId)).toBe(1);
	});

	it('store nothing and keep the use when the email is taken', async () => {
		const { db } = database;
		const { token, org, inviteId } = await setup();
		const existing = await seedUser(db, org);
		const users = await countRows('users');
		const result = await signUpWithInvite(db, token, { ...account(), email: existing.email });
		expect(result).toEqual({ ok: false, reason: 'email_taken' });
		expect(await countRows('users')).toBe(users);
		expect(await useCount(inviteId)).toBe(0);
	});

	it('refuse expired and revoked invites with their reason, storing nothing', async () => {
		const { db } = database;
		const expired = await setup();
		const later = new Date(Date.now() + 8 * DAY);
		expect(await findInvite(db, expired.token, later)).toMatchObject({
			ok: false,
			reason: 'expired'
		});
		const revoked = await setup({ maxUses: 5 });
		const users = await countRows('users');
		expect(await signUpWithInvite(db, expired.token, account(), later)).toEqual({
			ok: false,
			reason: 'expired'
		});

		expect((await listOpenInvites(db, revoked.team)).map((i) => i.id)).toEqual([revoked.inviteId]);
		expect(await revokeInvite(db, revoked.team, revoked.inviteId)).toEqual({ ok: true });
		expect(await revokeInvite(db, revoked.team, revoked.inviteId)).toEqual({
			ok: false,
			reason: 'not_found'
		});
		expect(await listOpenInvites(db, revoked.team)).toEqual([]);
		expect(await signUpWithInvite(db, revoked.token, account())).toEqual({
			ok: false,
			reason: 'revoked'
		});
		expect(await countRows('users')).toBe(users);
	});

	it('cannot be revoked through another team', async () => {
		const { db } = database;
		const { inviteId, org } = await setup();
		const otherTeam = await seedTeam(db, org);
		expect(await revokeInvite(db, otherTeam, inviteId)).toEqual({ ok: false, reason: 'not_found' });
		expect((await findInvite(db, (await setup()).token)).ok).toBe(true);
	});

	it('let a signed-in person join; someone already in the team changes nothing', async () => {
		const { db } = database;
		const { token, team, org, inviteId } = await setup({ role: 'member', maxUses: 3 });
		const ingrid = await seedUser(db, org);
		const joined = await acceptInvite(db, token, ingrid);
		expect(joined).toMatchObject({ ok: true, teamId: team, outcome: 'joined' });
		expect(await getMemberRole(db, team, ingrid.id)).toBe('member');
		expect(await useCount(inviteId)).toBe(1);

		const manager = await seedUser(db, org);
		await seedMember(db, team, manager.id, 'manager');
		const again = await acceptInvite(db, token, manager);
		expect(again).toMatchObject({ ok: true, outcome: 'already_member' });
		expect(await getMemberRole(db, team, manager.id)).toBe('manager');
		expect(await useCount(inviteId)).toBe(1);
	});

	it('mean nothing to a person of another organisation', async () => {
		const { db } = database;
		const { token, team } = await setup();
		const outsider = await seedUser(db, await seedOrganisation(db, 'Grannkommunen'));
		expect(await acceptInvite(db, token, outsider)).toEqual({ ok: false, reason: 'not_found' });
		expect(await getMemberRole(db, team, outsider.id)).toBeNull();
	});

	it('let exactly max_uses people in when they race for it', async () => {
		const { db } = database;
		const { token, team, org } = await setup({ maxUses: 2 });
		const people = await Promise.all([1, 2, 3, 4].map(() => seedUser(db, org)));
		const results = await Promise.all(people.map((p) => acceptInvite(db, token, p)));
		expect(results.filter((r) => r.ok).length).toBe(2);
		expect(results.filter((r) => !r.ok)).toEqual([
			{ ok: false, reason: 'used_up' },
			{ ok: false, reason: 'used_up' }
		]);
		const roles = await Promise.all(people.map((p) => getMemberRole(db, team, p.id)));
		expect(roles.filter((r) => r !== null).length).toBe(2);
	});
});
