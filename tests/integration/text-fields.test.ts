/**
 * The one text rule, at the form actions themselves (issue 8, point 8): a name with a control
 * character or a bidi override gets a clear message and nothing is stored; before, a NUL answered
 * 500 (Postgres refuses the row) and BEL/ESC were stored. Names are stored in NFC.
 */
import { isActionFailure, isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import { m } from '../../src/lib/paraglide/messages';
import { createSession, type SessionUser } from '../../src/lib/server/session';
import { actions as adminActions } from '../../src/routes/admin/+page.server';
import { actions as setupActions } from '../../src/routes/setup/+page.server';
import { actions as signupActions } from '../../src/routes/signup/+page.server';
import { actions as teamActions } from '../../src/routes/teams/[teamId]/+page.server';
import { actionEvent, type ActionCall } from '../helpers/action-event';
import { seedMember, seedOrganisation, seedTeam, seedUser } from '../helpers/seed';
import { openTestDatabase } from '../helpers/test-database';

/** Runs the action; a redirect (success) comes back as its location, a failure as its data. */
async function submit<E>(
	database: OpenDatabase,
	action: ((event: E) => unknown) | undefined,
	call: ActionCall
) {
	if (!action) throw new Error('no such action');
	try {
		const result = await action(actionEvent<E>(database, call));
		if (isActionFailure(result)) return { status: result.status, data: result.data };
		return { status: 200, data: result };
	} catch (thrown) {
		if (isRedirect(thrown)) return { status: thrown.status, location: thrown.location };
		throw thrown;
	}
}

const BAD_NAMES = [
	['NUL', 'Ada\u0000Lovelace', () => m.security_text_control()],
	['BEL', 'Ada\u0007', () => m.security_text_control()],
	['ESC', '\u001b[2JAda', () => m.security_text_control()],
	['DEL', 'Ada\u007f', () => m.security_text_control()],
	['a line break', 'Ada\nLovelace', () => m.security_text_single_line()],
	['a bidi override', 'Ada\u202Eecalevol', () => m.security_text_bidi()],
	['a bidi isolate', '\u2067Ada\u2069', () => m.security_text_bidi()]
] as const;

const count = async (
	database: OpenDatabase,
	table: 'organisations' | 'users' | 'teams' | 'boards'
) =>
	Number(
		(
			await database.db
				.selectFrom(table)
				.select((eb) => eb.fn.countAll<string>().as('n'))
				.executeTakeFirstOrThrow()
		).n
	);

describe('setting up the organisation', () => {
	let database: OpenDatabase;
	beforeAll(async () => {
		database = await openTestDatabase();
	});
	afterAll(async () => {
		await database.close();
	});

	it('refuses an organisation or display name with control or bidi characters, storing nothing', async () => {
		const valid = {
			organisationName: 'Vårdförvaltningen',
			name: 'Ada Admin',
			email: 'ada@example.se',
			password: 'a long enough passphrase'
		};
		for (const field of ['organisationName', 'name'] as const) {
			for (const [what, bad, message] of BAD_NAMES) {
				const result = await submit(database, setupActions.default, {
					path: '/setup',
					form: { ...valid, [field]: bad }
				});
				expect(result, `${field} with ${what}`).toMatchObject({
					status: 400,
					data: { errors: { [field]: message() } }
				});
			}
		}
		expect(await count(database, 'organisations')).toBe(0);
		expect(await count(database, 'users')).toBe(0);

		// The same form with clean names goes through, and a decomposed "Å" is stored composed.
		const ok = await submit(database, setupActions.default, {
			path: '/setup',
			form: { ...valid, organisationName: 'A\u030Amål kommun' }
		});
		expect(ok).toMatchObject({ status: 303, location: '/admin' });
		const organisation = await database.db
			.selectFrom('organisations')
			.select('name')
			.executeTakeFirstOrThrow();
		expect(organisation.name).toBe('Åmål kommun');
	});
});

describe('names in a running organisation', () => {
	let database: OpenDatabase;
	let admin: SessionUser;
	let teamId: string;
	let session: Awaited<ReturnType<typeof createSession>>['session'];
	beforeAll(async () => {
		database = await openTestDatabase();
		const organisationId = await seedOrganisation(database.db);
		const seeded = await seedUser(database.db, organisationId, { isOrgAdmin: true });
		admin = { ...seeded, name: 'Org Admin', locale: null };
		teamId = await seedTeam(database.db, organisationId, 'Kök');
		await seedMember(database.db, teamId, admin.id, 'manager');
		({ session } = await createSession(database.db, admin.id));
		await database.db
			.updateTable('organisations')
			.set({ open_signup_domain: 'open.example', open_signup_team_id: teamId })
			.execute();
	});
	afterAll(async () => {
		await database.close();
	});

	it('a team name with control or bidi characters is refused and no team is created', async () => {
		const before = await count(database, 'teams');
		for (const [what, bad, message] of BAD_NAMES) {
			const result = await submit(database, adminActions.createTeam, {
				path: '/admin?/createTeam',
				form: { name: bad },
				user: admin,
				session
			});
			expect(result, what).toMatchObject({ status: 400, data: { errors: { name: message() } } });
		}
		expect(await count(database, 'teams')).toBe(before);
	});

	it('a board name with control or bidi characters is refused and no board is created', async () => {
		for (const [what, bad, message] of BAD_NAMES) {
			const result = await submit(database, teamActions.createBoard, {
				path: `/teams/${teamId}?/createBoard`,
				params: { teamId },
				form: { name: bad },
				user: admin,
				session
			});
			expect(result, what).toMatchObject({ status: 400, data: { errors: { name: message() } } });
		}
		expect(await count(database, 'boards')).toBe(0);
		const ok = await submit(database, teamActions.createBoard, {
			path: `/teams/${teamId}?/createBoard`,
			params: { teamId },
			form: { name: 'Förbättringar' },
			user: admin,
			session
		});
		expect(ok).toMatchObject({ status: 303 });
		expect(await count(database, 'boards')).toBe(1);
	});

	it('a display name with control or bidi characters is refused at sign-up and no account is made', async () => {
		const before = await count(database, 'users');
		for (const [what, bad, message] of BAD_NAMES) {
			const result = await submit(database, signupActions.default, {
				path: '/signup',
				form: { name: bad, email: 'new@open.example', password: 'a long enough passphrase' }
			});
			expect(result, what).toMatchObject({ status: 400, data: { errors: { name: message() } } });
		}
		expect(await count(database, 'users')).toBe(before);
	});
});
