/**
 * Known devices (OWASP's "device cookies"): after a successful sign-in the browser gets a random
 * token in a long-lived HttpOnly cookie; the database keeps only its SHA-256, bound to the account.
 * The token proves nothing on its own (it signs nobody in); it only tells the sign-in throttle
 * that this browser has known the password before, so failures from elsewhere do not lock it out.
 */
import type { Kysely } from 'kysely';
import type { Database } from './db/schema';
import { generateRandomToken, hashToken } from './session';

/** Each account keeps its most recently used devices; older ones become unknown again. */
export const TRUSTED_DEVICES_PER_USER = 20;

/** The device's id (the token's hash) when the token belongs to this account, else null. */
export async function findTrustedDevice(
	db: Kysely<Database>,
	email: string,
	token: string | undefined
): Promise<string | null> {
	if (!token || !/^[a-z2-7]{32}$/.test(token)) return null;
	const id = hashToken(token);
	const row = await db
		.selectFrom('trusted_devices')
		.innerJoin('users', 'users.id', 'trusted_devices.user_id')
		.select('trusted_devices.id')
		.where('trusted_devices.id', '=', id)
		.where((eb) => eb.fn('lower', ['users.email']), '=', email)
		.executeTakeFirst();
	return row ? row.id : null;
}

/**
 * Marks the device as known after a correct password: refreshes a known one, or makes a new token.
 * Returns the token to put in the cookie.
 */
export async function trustDevice(
	db: Kysely<Database>,
	userId: string,
	known: { id: string; token: string } | null,
	now = new Date()
): Promise<string> {
	if (known) {
		await db
			.updateTable('trusted_devices')
			.set({ last_used_at: now })
			.where('id', '=', known.id)
			.execute();
		return known.token;
	}
	const token = generateRandomToken();
	await db.transaction().execute(async (trx) => {
		await trx
			.insertInto('trusted_devices')
			.values({ id: hashToken(token), user_id: userId, created_at: now, last_used_at: now })
			.execute();
		const keep = trx
			.selectFrom('trusted_devices')
			.select('id')
			.where('user_id', '=', userId)
			.orderBy('last_used_at', 'desc')
			.orderBy('id')
			.limit(TRUSTED_DEVICES_PER_USER);
		await trx
			.deleteFrom('trusted_devices')
			.where('user_id', '=', userId)
			.where('id', 'not in', keep)
			.execute();
	});
	return token;
}

/**
 * After a password change only the device that made it stays known: a device that learnt the old
 * password (perhaps the reason for the change) must not keep its own lockout allowance.
 */
export async function forgetOtherDevices(
	db: Kysely<Database>,
	userId: string,
	keepDeviceId: string | null
): Promise<void> {
	let query = db.deleteFrom('trusted_devices').where('user_id', '=', userId);
	if (keepDeviceId) query = query.where('id', '!=', keepDeviceId);
	await query.execute();
}
