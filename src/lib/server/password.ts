/**
 * Passwords: Argon2id with OWASP's recommended cost (19 MiB, 2 passes, 1 lane), and a strength
 * rule people can follow: at least 10 characters, not one of the commonest choices, not the email.
 */
import { hash, verify } from '@node-rs/argon2';

const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

const COMMON_PASSWORDS = new Set([
	'password123',
	'1234567890',
	'0123456789',
	'qwertyuiop',
	'password1234',
	'losenord123',
	'lösenord123',
	'sommar2024',
	'sommar2025',
	'sommar2026',
	'iloveyou12',
	'abcdefghij',
	'aaaaaaaaaa'
]);

export type PasswordProblem = 'too_short' | 'too_long' | 'too_common' | 'contains_email';

export function checkPasswordStrength(password: string, email: string): PasswordProblem | null {
	if (password.length < PASSWORD_MIN_LENGTH) return 'too_short';
	if (password.length > PASSWORD_MAX_LENGTH) return 'too_long';
	const lower = password.toLowerCase();
	if (COMMON_PASSWORDS.has(lower) || /^(.)\1+$/.test(password)) return 'too_common';
	const local = email.split('@')[0]?.toLowerCase() ?? '';
	if (local.length >= 4 && lower.includes(local)) return 'contains_email';
	return null;
}

export function hashPassword(password: string): Promise<string> {
	return hash(password, ARGON2_OPTIONS);
}

/** How a password is checked against its hash; tests wrap it to count the Argon2 evaluations. */
export type PasswordVerifier = (passwordHash: string, password: string) => Promise<boolean>;

export async function verifyPasswordHash(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}
