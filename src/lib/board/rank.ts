/**
 * A card's place within its column is a fractional-index key: a string that sorts between its
 * neighbours, so a move rewrites one card instead of renumbering the column. Equal keys (two
 * people dropping into the same gap at once) are ordered by card id, so every replica agrees.
 */
import { generateKeyBetween } from 'fractional-indexing';

const RANK_PATTERN = /^[a-zA-Z][0-9a-zA-Z]*$/;

export function isRank(value: unknown): value is string {
	return typeof value === 'string' && value.length <= 200 && RANK_PATTERN.test(value);
}

/** A key strictly between `before` and `after` (either may be null for the column's ends). */
export function rankBetween(before: string | null, after: string | null): string {
	if (before !== null && after !== null && before >= after) {
		// Equal neighbours (a tie broken by id): place after `before`, still before anything larger.
		return generateKeyBetween(before, null);
	}
	return generateKeyBetween(before, after);
}

export function compareByRank(
	a: { rank: string; id: string },
	b: { rank: string; id: string }
): number {
	if (a.rank < b.rank) return -1;
	if (a.rank > b.rank) return 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
