/**
 * Ids for new rows: a readable prefix plus 120 random bits in base32, e.g. `team_k3…`. They are
 * safe in URLs and in the sync path (`[A-Za-z0-9_-]{1,64}`), and guessing one gains nothing:
 * every read still goes through the access checks.
 */
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

export function newId(
	prefix: 'org' | 'usr' | 'team' | 'brd' | 'inv' | 'dsp' | 'stu' | 'pho'
): string {
	const bytes = new Uint8Array(15);
	crypto.getRandomValues(bytes);
	return `${prefix}_${encodeBase32LowerCaseNoPadding(bytes)}`;
}

/** The shape every id in a URL must have before it reaches a query. */
export function isWellFormedId(value: string): boolean {
	return /^[A-Za-z0-9_-]{1,64}$/.test(value);
}

/** True for Postgres' unique_violation (the same code on PGlite, which speaks the same protocol). */
export function isUniqueViolation(error: unknown): boolean {
	return (
		typeof error === 'object' &&
		error !== null &&
		'code' in error &&
		(error as { code: unknown }).code === '23505'
	);
}
