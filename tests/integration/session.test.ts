import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import {
	createSession,
	hashToken,
	invalidateOtherSessions,
	SESSION_LIFETIME_MS,
	validateSessionToken
} from '../../src/lib/server/session';
import { getBoardAccess } from '../../src/lib/server/access';
import { openTestDatabase } from '../helpers/test-database';
import { seedBoard, seedMember, seedOrganisation, seedTeam, seedUser } from '../helpers/seed';

let database: OpenDatabase;
beforeAll(async () => {
	database = await openTestDatabase();
});
afterAll(async () => {
	await database.close();
});

describe('sessions', () => {
	it('stores only the token hash and validates the token', async () => {
		const { db } = database;
		const org = await seedOrganisation(db);
		const user = await seedUser(db, org);
		const { token, session } = await createSession(db, user.id);
		const row = await db
			.selectFrom('sessions')
			.selectAll()
			.where('user_id', '=', user.id)
			.executeTakeFirstOrThrow();
		expect(row.id).toBe(hashToken(token));
		expect(row.id).not.toContain(token);
		const result = await validateSessionToken(db, token);
		expect(result.user?.id).toBe(user.id);
		expect(result.session?.id).toBe(session.id);
	});

	it('refuses forged, malformed and expired tokens', async () => {
		const { db } = database;
		const org = await seedOrganisation(db);
		const user = await seedUser(db, org);
		const { token } = await createSession(db, user.id);
		expect((await validateSessionToken(db, 'a'.repeat(32))).session).toBeNull();
		expect((await validateSessionToken(db, `${token}x`)).session).toBeNull();
		const later = new Date(Date.now() + SESSION_LIFETIME_MS + 1000);
		expect((await validateSessionToken(db, token, later)).session).toBeNull();
		// Expired sessions are deleted on sight.
		expect(
			await db
				.selectFrom('sessions')
				.select('id')
				.where('id', '=', hashToken(token))
				.executeTakeFirst()
		).toBeUndefined();
	});

	it('slides the expiry when the session is used in its second half', async () => {
		const { db } = database;
		const org = await seedOrganisation(db);
		const user = await seedUser(db, org);
		const { token, session } = await createSession(db, user.id);
		const in20Days = new Date(Date.now() + 20 * 24 * 3600 * 1000);
		const result = await validateSessionToken(db, token, in20Days);
		expect(result.fresh).toBe(true);
		expect(result.session!.expiresAt.getTime()).toBeGreaterThan(session.expiresAt.getTime());
	});

	it('ends the other sessions on password change, keeping the current one', async () => {
		const { db } = database;
		const org = await seedOrganisation(db);
		const user = await seedUser(db, org);
		const current = await createSession(db, user.id);
		const other = await createSession(db, user.id);
		await invalidateOtherSessions(db, user.id, current.session.id);
		expect((await validateSessionToken(db, current.token)).session).not.toBeNull();
		expect((await validateSessionToken(db, other.token)).session).toBeNull();
	});
});

describe('board access', () => {
	it('gives a member of team A no access to team B’s board', async () => {
		const { db } = database;
		const org = await seedOrganisation(db);
		const alice = await seedUser(db, org);
		const teamA = await seedTeam(db, org, 'Team A');
		const teamB = await seedTeam(db, org, 'Team B');
		await seedMember(db, teamA, alice.id, 'member');
		const boardA = await seedBoard(db, teamA);
		const boardB = await seedBoard(db, teamB);
		expect((await getBoardAccess(db, alice, boardA))?.role).toBe('member');
		expect(await getBoardAccess(db, alice, boardB)).toBeNull();
	});

	it('gives an organisation admin admin rights on every team’s board, and none in another organisation', async () => {
		const { db } = database;
		const org = await seedOrganisation(db);
		const otherOrg = await seedOrganisation(db, 'Grannkommunen');
		const admin = await seedUser(db, org, { isOrgAdmin: true });
		const board = await seedBoard(db, await seedTeam(db, org));
		const foreignBoard = await seedBoard(db, await seedTeam(db, otherOrg));
		expect((await getBoardAccess(db, admin, board))?.role).toBe('admin');
		expect(await getBoardAccess(db, admin, foreignBoard)).toBeNull();
	});
});
