/**
 * People: accounts, passwords, language. Emails are stored trimmed and lower-cased, so one person
 * has one account however they type it (the unique index on lower(email) is the last guard).
 * Passwords are hashed before any transaction opens: Argon2id is slow on purpose, and PGlite's
 * single session would make every other request wait for it.
 */
import type { Kysely } from 'kysely';
import type { Database } from './db/schema';
import { newId, isUniqueViolation } from './id';
import { hashPassword, verifyPasswordHash, type PasswordVerifier } from './password';
import { invalidateOtherSessions } from './session';
import { addTeamMember } from './team';
import { findOpenSignup } from './organisation';
import { isSupportedLocale, type Locale } from '../locale';

export function normaliseEmail(email: string): string {
	return email.trim().toLowerCase();
}

export function emailDomain(email: string): string {
	const at = email.lastIndexOf('@');
	return at < 0 ? '' : normaliseEmail(email.slice(at + 1));
}

export interface NewAccount {
	name: string;
	email: string;
	password: string;
	locale: Locale | null;
}

export interface AuthenticatedUser {
	id: string;
	name: string;
	locale: Locale | null;
}

export type CreateUserResult = { ok: true; userId: string } | { ok: false; reason: 'email_taken' };

export async function isEmailTaken(db: Kysely<Database>, email: string): Promise<boolean> {
	const row = await db
		.selectFrom('users')
		.select('id')
		.where((eb) => eb.fn('lower', ['email']), '=', normaliseEmail(email))
		.executeTakeFirst();
	return row !== undefined;
}

/**
 * Inserts a user whose password is already hashed. Meant to run inside the caller's transaction
 * (db may be a `trx`), so a failure later in the same transaction leaves no account behind.
 */
export async function insertUser(
	db: Kysely<Database>,
	input: {
		organisationId: string;
		name: string;
		email: string;
		passwordHash: string;
		isOrgAdmin: boolean;
		locale: Locale | null;
	}
): Promise<CreateUserResult> {
	if (await isEmailTaken(db, input.email)) return { ok: false, reason: 'email_taken' };
	const userId = newId('usr');
	try {
		await db
			.insertInto('users')
			.values({
				id: userId,
				organisation_id: input.organisationId,
				email: normaliseEmail(input.email),
				name: input.name.trim(),
				password_hash: input.passwordHash,
				is_org_admin: input.isOrgAdmin,
				locale: input.locale
			})
			.execute();
	} catch (error) {
		// Two sign-ups with one email at the same moment: the unique index decides.
		if (isUniqueViolation(error)) return { ok: false, reason: 'email_taken' };
		throw error;
	}
	return { ok: true, userId };
}

// Verifying against a real hash when the email is unknown keeps both answers equally slow, so the
// time taken does not reveal which emails have accounts.
let timingHash: Promise<string> | undefined;

export async function authenticateUser(
	db: Kysely<Database>,
	email: string,
	password: string,
	verify: PasswordVerifier = verifyPasswordHash
): Promise<AuthenticatedUser | null> {
	const row = await db
		.selectFrom('users')
		.select(['id', 'name', 'locale', 'password_hash'])
		.where((eb) => eb.fn('lower', ['email']), '=', normaliseEmail(email))
		.executeTakeFirst();
	if (!row) {
		timingHash ??= hashPassword('no such account, but take the same time');
		await verify(await timingHash, password);
		return null;
	}
	if (!(await verify(row.password_hash, password))) return null;
	return { id: row.id, name: row.name, locale: isSupportedLocale(row.locale) ? row.locale : null };
}

export type ChangePasswordResult = { ok: true } | { ok: false; reason: 'wrong_password' };

/** Sets a new password after checking the current one, and ends every other session. */
export async function changeUserPassword(
	db: Kysely<Database>,
	input: { userId: string; currentPassword: string; newPassword: string; keepSessionId: string },
	verify: PasswordVerifier = verifyPasswordHash
): Promise<ChangePasswordResult> {
	const row = await db
		.selectFrom('users')
		.select('password_hash')
		.where('id', '=', input.userId)
		.executeTakeFirst();
	if (!row || !(await verify(row.password_hash, input.currentPassword))) {
		return { ok: false, reason: 'wrong_password' };
	}
	const passwordHash = await hashPassword(input.newPassword);
	await db.transaction().execute(async (trx) => {
		await trx
			.updateTable('users')
			.set({ password_hash: passwordHash })
			.where('id', '=', input.userId)
			.execute();
		await invalidateOtherSessions(trx, input.userId, input.keepSessionId);
	});
	return { ok: true };
}

export async function setUserLocale(
	db: Kysely<Database>,
	userId: string,
	locale: Locale
): Promise<void> {
	await db.updateTable('users').set({ locale }).where('id', '=', userId).execute();
}

export type OpenSignupResult =
	| { ok: true; userId: string; teamId: string }
	| { ok: false; reason: 'not_allowed' | 'email_taken' };

/**
 * Open sign-up: allowed only when an organisation has opened it for the email's domain; the new
 * person joins the chosen team as a member. Nothing is stored when it is not allowed.
 */
export async function signUpByOpenDomain(
	db: Kysely<Database>,
	account: NewAccount
): Promise<OpenSignupResult> {
	const open = await findOpenSignup(db, emailDomain(account.email));
	if (!open) return { ok: false, reason: 'not_allowed' };
	const passwordHash = await hashPassword(account.password);
	return db.transaction().execute(async (trx): Promise<OpenSignupResult> => {
		// Read again inside the transaction: the admin may have closed sign-up meanwhile.
		const stillOpen = await findOpenSignup(trx, emailDomain(account.email));
		if (!stillOpen) return { ok: false, reason: 'not_allowed' };
		const created = await insertUser(trx, {
			organisationId: stillOpen.organisationId,
			name: account.name,
			email: account.email,
			passwordHash,
			isOrgAdmin: false,
			locale: account.locale
		});
		if (!created.ok) return created;
		await addTeamMember(trx, stillOpen.teamId, created.userId, 'member');
		return { ok: true, userId: created.userId, teamId: stillOpen.teamId };
	});
}
