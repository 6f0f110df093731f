/**
 * Every password check that a stranger could repeat (sign-in, and the current password at a
 * password change) goes through here: the attempt is reserved in the throttle *before* Argon2
 * runs, so parallel guesses are counted, and a known device is counted on its own (see
 * `rate-limit.ts`). Routes pass the throttle and the device cookie; tests pass a counting verifier.
 */
import type { Kysely } from 'kysely';
import type { Database } from './db/schema';
import { verifyPasswordHash, type PasswordVerifier } from './password';
import type { ReserveResult, SignInThrottle } from './rate-limit';
import { findTrustedDevice, forgetOtherDevices, trustDevice } from './trusted-device';
import {
	authenticateUser,
	changeUserPassword,
	normaliseEmail,
	type AuthenticatedUser,
	type ChangePasswordResult
} from './user';

export interface PasswordCheckContext {
	throttle: SignInThrottle;
	/** The client's address as the server sees it. */
	address: string;
	/** The device cookie, if the browser sent one. */
	deviceToken: string | undefined;
	verify?: PasswordVerifier;
}

type Throttled = { ok: false; reason: 'throttled'; retryAfterMs: number };

export type SignInResult =
	| { ok: true; user: AuthenticatedUser; deviceToken: string }
	| { ok: false; reason: 'wrong_credentials' }
	| Throttled;

/**
 * Looks up whether the device is known for this account, then reserves the attempt: the
 * throttle checks and counts in one synchronous step, so parallel attempts cannot slip between.
 */
async function reserveAttempt(
	db: Kysely<Database>,
	account: string,
	context: PasswordCheckContext
): Promise<{ deviceId: string | null; reserved: ReserveResult }> {
	const deviceId = await findTrustedDevice(db, account, context.deviceToken);
	const reserved = context.throttle.reserve({
		account,
		address: context.address,
		trustedDevice: deviceId
	});
	return { deviceId, reserved };
}

/** Checks an email and password; on success the device becomes (or stays) known. */
export async function signInWithPassword(
	db: Kysely<Database>,
	input: { email: string; password: string },
	context: PasswordCheckContext
): Promise<SignInResult> {
	const account = normaliseEmail(input.email);
	const { deviceId, reserved } = await reserveAttempt(db, account, context);
	if (!reserved.allowed)
		return { ok: false, reason: 'throttled', retryAfterMs: reserved.retryAfterMs };
	const user = await authenticateUser(
		db,
		account,
		input.password,
		context.verify ?? verifyPasswordHash
	);
	if (!user) return { ok: false, reason: 'wrong_credentials' };
	reserved.reservation.succeeded();
	const known =
		deviceId && context.deviceToken ? { id: deviceId, token: context.deviceToken } : null;
	const deviceToken = await trustDevice(db, user.id, known);
	return { ok: true, user, deviceToken };
}

export type ThrottledPasswordChange = ChangePasswordResult | Throttled;

/**
 * The password change: the current password is a guess like any other, under the same throttle.
 * Like the other sessions, the other known devices end with the old password.
 */
export async function changePasswordWithThrottle(
	db: Kysely<Database>,
	input: {
		userId: string;
		email: string;
		currentPassword: string;
		newPassword: string;
		keepSessionId: string;
	},
	context: PasswordCheckContext
): Promise<ThrottledPasswordChange> {
	const { deviceId, reserved } = await reserveAttempt(db, normaliseEmail(input.email), context);
	if (!reserved.allowed)
		return { ok: false, reason: 'throttled', retryAfterMs: reserved.retryAfterMs };
	const result = await changeUserPassword(
		db,
		{
			userId: input.userId,
			currentPassword: input.currentPassword,
			newPassword: input.newPassword,
			keepSessionId: input.keepSessionId
		},
		context.verify ?? verifyPasswordHash
	);
	if (result.ok) {
		reserved.reservation.succeeded();
		await forgetOtherDevices(db, input.userId, deviceId);
	}
	return result;
}
