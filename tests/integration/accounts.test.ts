import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import {
	findOpenSignup,
	getOrganisationSettings,
	isOpenSignupEnabled,
	organisationExists,
	setUpOrganisation,
	updateOpenSignup
} from '../../src/lib/server/organisation';
import {
	authenticateUser,
	changeUserPassword,
	insertUser,
	setUserLocale,
	signUpByOpenDomain
} from '../../src/lib/server/user';
import { createSession, validateSessionToken } from '../../src/lib/server/session';
import { getMemberRole } from '../../src/lib/server/team';
import { openTestDatabase } from '../helpers/test-database';
import { SEED_PASSWORD, seedOrganisation, seedTeam, seedUser } from '../helpers/seed';

let database: OpenDatabase;
beforeAll(async () => {
	database = await openTestDatabase();
});
afterAll(async () => {
	await database.close();
});

const count = async (table: 'organisations' | 'users' | 'team_members') =>
	Number(
		(
			await database.db
				.selectFrom(table)
				.select((eb) => eb.fn.countAll<string>().as('n'))
				.executeTakeFirstOrThrow()
		).n
	);

describe('setting up the organisation (fresh install)', () => {
	it('creates the organisation and its first org admin once, then refuses', async () => {
		const { db } = database;
		expect(await organisationExists(db)).toBe(false);
		const first = await setUpOrganisation(db, {
			organisationName: '  Vårdförvaltningen  ',
			account: {
				name: 'Ada Admin',
				email: ' Ada@Example.SE ',
				password: 'a long enough passphrase',
				locale: 'sv'
			}
		});
		expect(first.ok).toBe(true);
		if (!first.ok) return;
		expect(await organisationExists(db)).toBe(true);
		const user = await db
			.selectFrom('users')
			.selectAll()
			.where('id', '=', first.userId)
			.executeTakeFirstOrThrow();
		expect(user.email).toBe('ada@example.se');
		expect(user.is_org_admin).toBe(true);
		expect(user.locale).toBe('sv');
		expect(user.password_hash).toMatch(/^\$argon2id\$/);
		expect((await getOrganisationSettings(db, first.organisationId))?.name).toBe(
			'Vårdförvaltningen'
		);

		const before = { orgs: await count('organisations'), users: await count('users') };
		const second = await setUpOrganisation(db, {
			organisationName: 'Another',
			account: {
				name: 'Eve',
				email: 'eve@example.se',
				password: 'another long passphrase',
				locale: null
			}
		});
		expect(second).toEqual({ ok: false, reason: 'already_set_up' });
		expect(await count('organisations')).toBe(before.orgs);
		expect(await count('users')).toBe(before.users);
	});
});

describe('accounts', () => {
	it('refuses a second account with the same email in any letter case, storing nothing', async () => {
		const { db } = database;
		const org = await seedOrganisation(db);
		await seedUser(db, org, { email: 'bo@example.se' });
		const users = await count('users');
		const result = await insertUser(db, {
			organisationId: org,
			name: 'Bo Again',
			email: 'BO@example.se',
			passwordHash: 'x',
			isOrgAdmin: false,
			locale: null
		});
		expect(result).toEqual({ ok: false, reason: 'email_taken' });
		expect(await count('users')).toBe(users);
	});

	it('authenticates with the right password only, whatever the email’s case', async () => {
		const { db } = database;
		const org = await seedOrganisation(db);
		const user = await seedUser(db, org, { email: 'cecilia@example.se' });
		expect((await authenticateUser(db, ' Cecilia@Example.se', SEED_PASSWORD))?.id).toBe(user.id);
		expect(await authenticateUser(db, 'cecilia@example.se', 'wrong password!')).toBeNull();
		expect(await authenticateUser(db, 'nobody@example.se', SEED_PASSWORD)).toBeNull();
	});

	it('changes the password only with the current one, and ends the other sessions', async () => {
		const { db } = database;
		const org = await seedOrganisation(db);
		const user = await seedUser(db, org, { email: 'dan@example.se' });
		const here = await createSession(db, user.id);
		const elsewhere = await createSession(db, user.id);

		const wrong = await changeUserPassword(db, {
			userId: user.id,
			currentPassword: 'not the password',
			newPassword: 'a brand new passphrase',
			keepSessionId: here.session.id
		});
		expect(wrong).toEqual({ ok: false, reason: 'wrong_password' });
		expect((await validateSessionToken(db, elsewhere.token)).session).not.toBeNull();
		expect(await authenticateUser(db, 'dan@example.se', SEED_PASSWORD)).not.toBeNull();

		const right = await changeUserPassword(db, {
			userId: user.id,
			currentPassword: SEED_PASSWORD,
			newPassword: 'a brand new passphrase',
			keepSessionId: here.session.id
		});
		expect(right).toEqual({ ok: true });
		expect((await validateSessionToken(db, here.token)).session).not.toBeNull();
		expect((await validateSessionToken(db, elsewhere.token)).session).toBeNull();
		expect(await authenticateUser(db, 'dan@example.se', SEED_PASSWORD)).toBeNull();
		expect(await authenticateUser(db, 'dan@example.se', 'a brand new passphrase')).not.toBeNull();
	});

	it('remembers the chosen language and returns it at sign-in', async () => {
		const { db } = database;
		const org = await seedOrganisation(db);
		await seedUser(db, org, { email: 'eva@example.se' });
		const before = await authenticateUser(db, 'eva@example.se', SEED_PASSWORD);
		expect(before?.locale).toBeNull();
		await setUserLocale(db, before!.id, 'en');
		expect((await authenticateUser(db, 'eva@example.se', SEED_PASSWORD))?.locale).toBe('en');
	});
});

describe('open sign-up by email domain', () => {
	it('is closed until an admin opens it, then lets that domain join the chosen team as member', async () => {
		const { db } = database;
		const org = await seedOrganisation(db);
		const team = await seedTeam(db, org, 'Skola Väst');
		const account = {
			name: 'Frida',
			email: 'frida@skola.example',
			password: 'frida’s long passphrase',
			locale: 'en' as const
		};
		const users = await count('users');
		expect(await signUpByOpenDomain(db, account)).toEqual({ ok: false, reason: 'not_allowed' });
		expect(await count('users')).toBe(users);

		expect(await updateOpenSignup(db, org, { domain: '@Skola.Example', teamId: team })).toEqual({
			ok: true
		});
		expect(await isOpenSignupEnabled(db)).toBe(true);
		expect(await findOpenSignup(db, 'skola.example')).toEqual({
			organisationId: org,
			teamId: team
		});

		const other = await signUpByOpenDomain(db, { ...account, email: 'frida@elsewhere.example' });
		expect(other).toEqual({ ok: false, reason: 'not_allowed' });

		const joined = await signUpByOpenDomain(db, account);
		expect(joined.ok).toBe(true);
		if (!joined.ok) return;
		expect(joined.teamId).toBe(team);
		expect(await getMemberRole(db, team, joined.userId)).toBe('member');

		// The same email again: refused, nothing more stored.
		const members = await count('team_members');
		expect(await signUpByOpenDomain(db, account)).toEqual({ ok: false, reason: 'email_taken' });
		expect(await count('team_members')).toBe(members);

		await updateOpenSignup(db, org, null);
		expect(await findOpenSignup(db, 'skola.example')).toBeNull();
	});

	it('refuses a team of another organisation', async () => {
		const { db } = database;
		const org = await seedOrganisation(db);
		const foreignTeam = await seedTeam(db, await seedOrganisation(db, 'Grannkommunen'));
		expect(await updateOpenSignup(db, org, { domain: 'x.example', teamId: foreignTeam })).toEqual({
			ok: false,
			reason: 'unknown_team'
		});
		expect((await getOrganisationSettings(db, org))?.openSignupDomain).toBeNull();
	});
});
