/**
 * Sign-in throttling on a real database (issue 8, point 6): the attempt is reserved before Argon2
 * runs, a known device gets in while its account is under attack, and one address's failures do
 * not lock other people's accounts. Argon2 evaluations are counted by wrapping the verifier.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import { verifyPasswordHash, type PasswordVerifier } from '../../src/lib/server/password';
import {
	changePasswordWithThrottle,
	signInWithPassword
} from '../../src/lib/server/password-attempts';
import { SignInThrottle } from '../../src/lib/server/rate-limit';
import { findTrustedDevice } from '../../src/lib/server/trusted-device';
import { createSession } from '../../src/lib/server/session';
import { openTestDatabase } from '../helpers/test-database';
import { SEED_PASSWORD, seedOrganisation, seedUser } from '../helpers/seed';

let database: OpenDatabase;
let organisationId: string;
beforeAll(async () => {
	database = await openTestDatabase();
	organisationId = await seedOrganisation(database.db);
});
afterAll(async () => {
	await database.close();
});

/** The real verifier, counting how often Argon2 actually ran. */
function countingVerifier(): { verify: PasswordVerifier; evaluations: () => number } {
	let evaluations = 0;
	return {
		verify: (hash, password) => {
			evaluations++;
			return verifyPasswordHash(hash, password);
		},
		evaluations: () => evaluations
	};
}

const ATTACKER = '203.0.113.66';

describe('sign-in throttling', () => {
	it('30 parallel wrong guesses: only the allowed 6 reach Argon2, the rest are throttled', async () => {
		const { db } = database;
		const user = await seedUser(db, organisationId);
		const throttle = new SignInThrottle();
		const counter = countingVerifier();
		const results = await Promise.all(
			Array.from({ length: 30 }, (_, n) =>
				signInWithPassword(
					db,
					{ email: user.email, password: `wrong guess ${n}` },
					{ throttle, address: ATTACKER, deviceToken: undefined, verify: counter.verify }
				)
			)
		);
		expect(counter.evaluations()).toBe(6);
		expect(results.filter((r) => !r.ok && r.reason === 'wrong_credentials')).toHaveLength(6);
		expect(results.filter((r) => !r.ok && r.reason === 'throttled')).toHaveLength(24);
	});

	it('the same for a password change: 30 parallel wrong current passwords → 6 evaluated, nothing changed', async () => {
		const { db } = database;
		const user = await seedUser(db, organisationId);
		const { session } = await createSession(db, user.id);
		const before = await db
			.selectFrom('users')
			.select('password_hash')
			.where('id', '=', user.id)
			.executeTakeFirstOrThrow();
		const throttle = new SignInThrottle();
		const counter = countingVerifier();
		const results = await Promise.all(
			Array.from({ length: 30 }, (_, n) =>
				changePasswordWithThrottle(
					db,
					{
						userId: user.id,
						email: user.email,
						currentPassword: `wrong current ${n}`,
						newPassword: 'a brand new passphrase',
						keepSessionId: session.id
					},
					{ throttle, address: ATTACKER, deviceToken: undefined, verify: counter.verify }
				)
			)
		);
		expect(counter.evaluations()).toBe(6);
		expect(results.filter((r) => !r.ok && r.reason === 'throttled')).toHaveLength(24);
		const after = await db
			.selectFrom('users')
			.select('password_hash')
			.where('id', '=', user.id)
			.executeTakeFirstOrThrow();
		expect(after.password_hash).toBe(before.password_hash);
	});

	it('a password change keeps only the changing device known', async () => {
		const { db } = database;
		const user = await seedUser(db, organisationId);
		const throttle = new SignInThrottle();
		const signIn = (deviceToken: string | undefined) =>
			signInWithPassword(
				db,
				{ email: user.email, password: SEED_PASSWORD },
				{ throttle, address: '198.51.100.9', deviceToken }
			);
		const laptop = await signIn(undefined);
		const phone = await signIn(undefined);
		if (!laptop.ok || !phone.ok) throw new Error('sign-in failed');
		const { session } = await createSession(db, user.id);
		const changed = await changePasswordWithThrottle(
			db,
			{
				userId: user.id,
				email: user.email,
				currentPassword: SEED_PASSWORD,
				newPassword: 'a brand new passphrase',
				keepSessionId: session.id
			},
			{ throttle, address: '198.51.100.9', deviceToken: laptop.deviceToken }
		);
		expect(changed).toEqual({ ok: true });
		expect(await findTrustedDevice(db, user.email, laptop.deviceToken)).not.toBeNull();
		expect(await findTrustedDevice(db, user.email, phone.deviceToken)).toBeNull();
	});

	it('the right password from a known device works while the account is under attack', async () => {
		const { db } = database;
		const user = await seedUser(db, organisationId);
		const throttle = new SignInThrottle();
		const home = '198.51.100.7';
		// The owner signed in once before: that browser got a device cookie.
		const first = await signInWithPassword(
			db,
			{ email: user.email, password: SEED_PASSWORD },
			{ throttle, address: home, deviceToken: undefined }
		);
		if (!first.ok) throw new Error(`first sign-in failed: ${first.reason}`);

		// An attack from 40 addresses, and from the owner's own (shared) address too.
		const addresses = [...Array.from({ length: 40 }, (_, n) => `192.0.2.${n}`), home];
		for (const address of addresses) {
			await Promise.all(
				Array.from({ length: 8 }, (_, n) =>
					signInWithPassword(
						db,
						{ email: user.email, password: `attack ${address} ${n}` },
						{ throttle, address, deviceToken: undefined }
					)
				)
			);
		}
		// Now a new device is locked out, even with the right password…
		const stranger = await signInWithPassword(
			db,
			{ email: user.email, password: SEED_PASSWORD },
			{ throttle, address: '192.0.2.200', deviceToken: undefined }
		);
		expect(stranger).toMatchObject({ ok: false, reason: 'throttled' });
		// …but the owner's known browser gets in, and keeps its cookie.
		const counter = countingVerifier();
		const owner = await signInWithPassword(
			db,
			{ email: user.email, password: SEED_PASSWORD },
			{ throttle, address: home, deviceToken: first.deviceToken, verify: counter.verify }
		);
		expect(owner).toMatchObject({ ok: true, deviceToken: first.deviceToken });
		expect(counter.evaluations()).toBe(1);

		// A device cookie of another account counts for nothing here.
		const other = await seedUser(db, organisationId);
		const elsewhere = await signInWithPassword(
			db,
			{ email: other.email, password: SEED_PASSWORD },
			{ throttle: new SignInThrottle(), address: home, deviceToken: undefined }
		);
		if (!elsewhere.ok) throw new Error('other sign-in failed');
		const borrowed = await signInWithPassword(
			db,
			{ email: user.email, password: SEED_PASSWORD },
			{ throttle, address: home, deviceToken: elsewhere.deviceToken }
		);
		expect(borrowed).toMatchObject({ ok: false, reason: 'throttled' });
	});

	it("one address's failures do not lock the accounts of others behind it", async () => {
		const { db } = database;
		const throttle = new SignInThrottle();
		const nat = '100.64.0.1';
		const target = await seedUser(db, organisationId);
		const colleagues = [await seedUser(db, organisationId), await seedUser(db, organisationId)];
		// One machine behind the municipality's NAT guesses hard at one colleague's account…
		for (let round = 0; round < 5; round++) {
			await Promise.all(
				Array.from({ length: 10 }, (_, n) =>
					signInWithPassword(
						db,
						{ email: target.email, password: `round ${round} guess ${n}` },
						{ throttle, address: nat, deviceToken: undefined }
					)
				)
			);
		}
		expect(
			await signInWithPassword(
				db,
				{ email: target.email, password: SEED_PASSWORD },
				{ throttle, address: nat, deviceToken: undefined }
			)
		).toMatchObject({ ok: false, reason: 'throttled' });
		// …and everyone else behind the same address still signs in, on new devices too.
		for (const person of colleagues) {
			const result = await signInWithPassword(
				db,
				{ email: person.email, password: SEED_PASSWORD },
				{ throttle, address: nat, deviceToken: undefined }
			);
			expect(result.ok).toBe(true);
		}
	});

	it('spraying 150 accounts from one address slows new devices there, never known ones', async () => {
		const { db } = database;
		const throttle = new SignInThrottle();
		const nat = '100.64.0.2';
		const colleague = await seedUser(db, organisationId);
		const known = await signInWithPassword(
			db,
			{ email: colleague.email, password: SEED_PASSWORD },
			{ throttle, address: nat, deviceToken: undefined }
		);
		if (!known.ok) throw new Error('first sign-in failed');
		const counter = countingVerifier();
		for (let n = 0; n < 150; n++) {
			await signInWithPassword(
				db,
				{ email: `sprayed${n}@example.se`, password: 'Sommar2026!' },
				{ throttle, address: nat, deviceToken: undefined, verify: counter.verify }
			);
		}
		// 100 free failures and the 101st that sets the first (1 s) delay; the rest wait.
		expect(counter.evaluations()).toBe(101);
		const result = await signInWithPassword(
			db,
			{ email: colleague.email, password: SEED_PASSWORD },
			{ throttle, address: nat, deviceToken: known.deviceToken }
		);
		expect(result.ok).toBe(true);
	});
});
