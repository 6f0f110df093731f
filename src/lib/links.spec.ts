import { describe, expect, it } from 'vitest';
import { boardCardHref, cardHref, guestCardHref } from './links';

describe('card links', () => {
	it('opens a card on its board for team members and in its own view for others', () => {
		expect(cardHref('brd_1', 'c-1', true)).toBe('/boards/brd_1?card=c-1');
		expect(cardHref('brd_1', 'c-1', false)).toBe('/cards/brd_1/c-1');
	});

	it('escapes what it puts in a URL', () => {
		expect(boardCardHref('a/b', 'c?d')).toBe('/boards/a%2Fb?card=c%3Fd');
		expect(guestCardHref('a b', 'c#d')).toBe('/cards/a%20b/c%23d');
	});
});
