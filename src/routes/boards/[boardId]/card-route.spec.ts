import { describe, expect, it } from 'vitest';
import { boardCardHref } from '$lib/links';
import { cardIdFromUrl, urlWithCard } from './card-route';

const base = 'http://tillit.test';

describe('the open card in the address', () => {
	it('reads the card links.ts links to', () => {
		const url = new URL(boardCardHref('b1', 'c-1_x'), base);
		expect(cardIdFromUrl(url)).toBe('c-1_x');
	});

	it('ignores a malformed card parameter', () => {
		expect(cardIdFromUrl(new URL('/boards/b1?card=../x', base))).toBeNull();
		expect(cardIdFromUrl(new URL('/boards/b1?card=', base))).toBeNull();
		expect(cardIdFromUrl(new URL('/boards/b1', base))).toBeNull();
	});

	it('opens and closes a card, keeping the filters', () => {
		const filtered = new URL('/boards/b1?label=safety&overdue=1#x', base);
		const open = urlWithCard(filtered, 'c1');
		expect(open.pathname + open.search).toBe('/boards/b1?label=safety&overdue=1&card=c1');
		const closed = urlWithCard(open, null);
		expect(closed.pathname + closed.search).toBe('/boards/b1?label=safety&overdue=1');
		expect(closed.hash).toBe('');
	});
});
