/**
 * Sessions the lucia-auth.com way (the Lucia package is deprecated; its guide is what remains):
 * a random token lives only in the user's HttpOnly cookie; the database keeps its SHA-256, so a
 * leaked sessions table cannot be used to sign in. Expiry slides: a session used in its last 15
 * days is extended to 30 days again.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Kysely } from 'kysely';
import type { Database } from './db/schema';

const DAY_MS = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME_MS = 30 * DAY_MS;
const SESSION_RENEW_WITHIN_MS = 15 * DAY_MS;
export const SESSION_COOKIE = 'tillit_session';

/** 20 random bytes → 32 base32 characters (160 bits of entropy). */
export function generateRandomToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export interface SessionUser {
	id: string;
	organisationId: string;
	email: string;
	name: string;
	isOrgAdmin: boolean;
	locale: string | null;
}

export interface ValidSession {
	id: string;
	userId: string;
	expiresAt: Date;
}

export type SessionValidation =
	| { session: ValidSession; user: SessionUser; fresh: boolean }
	| { session: null; user: null; fresh: false };

export async function createSession(
	db: Kysely<Database>,
	userId: string,
	now = new Date()
): Promise<{ token: string; session: ValidSession }> {
	const token = generateRandomToken();
	const session = {
		id: hashToken(token),
		userId,
		expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS)
	};
	await db
		.insertInto('sessions')
		.values({ id: session.id, user_id: userId, expires_at: session.expiresAt })
		.execute();
	return { token, session };
}

/**
 * The one session check: every page load, action, endpoint and websocket upgrade goes through it.
 * Unknown, malformed and expired tokens all answer "no session".
 */
export async function validateSessionToken(
	db: Kysely<Database>,
	token: string | undefined | null,
	now = new Date()
): Promise<SessionValidation> {
	if (!token || !/^[a-z2-7]{32}$/.test(token)) return { session: null, user: null, fresh: false };
	const sessionId = hashToken(token);
	const row = await db
		.selectFrom('sessions')
		.innerJoin('users', 'users.id', 'sessions.user_id')
		.select([
			'sessions.id as session_id',
			'sessions.expires_at',
			'users.id as user_id',
			'users.organisation_id',
			'users.email',
			'users.name',
			'users.is_org_admin',
			'users.locale'
		])
		.where('sessions.id', '=', sessionId)
		.executeTakeFirst();
	if (!row) return { session: null, user: null, fresh: false };
	if (now.getTime() >= row.expires_at.getTime()) {
		await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
		return { session: null, user: null, fresh: false };
	}
	let expiresAt = row.expires_at;
	let fresh = false;
	if (now.getTime() >= expiresAt.getTime() - SESSION_RENEW_WITHIN_MS) {
		expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
		fresh = true;
		await db
			.updateTable('sessions')
			.set({ expires_at: expiresAt })
			.where('id', '=', sessionId)
			.execute();
	}
	return {
		session: { id: sessionId, userId: row.user_id, expiresAt },
		user: {
			id: row.user_id,
			organisationId: row.organisation_id,
			email: row.email,
			name: row.name,
			isOrgAdmin: row.is_org_admin,
			locale: row.locale
		},
		fresh
	};
}

export async function invalidateSession(db: Kysely<Database>, sessionId: string): Promise<void> {
	await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Ends all of a user's sessions except `keepSessionId` (after a password change). */
export async function invalidateOtherSessions(
	db: Kysely<Database>,
	userId: string,
	keepSessionId: string | null
): Promise<void> {
	let query = db.deleteFrom('sessions').where('user_id', '=', userId);
	if (keepSessionId) query = query.where('id', '!=', keepSessionId);
	await query.execute();
}

/** Reads one cookie from a raw Cookie header (the websocket upgrade has no SvelteKit helpers). */
export function readCookie(header: string | undefined, name: string): string | null {
	if (!header) return null;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq < 0) continue;
		if (part.slice(0, eq).trim() === name) {
			try {
				return decodeURIComponent(part.slice(eq + 1).trim());
			} catch {
				return null;
			}
		}
	}
	return null;
}
