import { describe, expect, it } from 'vitest';
import { cleanText, isDocumentId } from './limits';

describe('isDocumentId', () => {
	it('accepts the ids the app makes and refuses what no index or row can hold', () => {
		expect(isDocumentId(crypto.randomUUID())).toBe(true);
		expect(isDocumentId('usr_mx57ca5s8375600')).toBe(true);
		expect(isDocumentId('card-12')).toBe(true);
		expect(isDocumentId('')).toBe(false);
		expect(isDocumentId('k'.repeat(129))).toBe(false);
		expect(isDocumentId('a\u0000b')).toBe(false);
		expect(isDocumentId('a b')).toBe(false);
		expect(isDocumentId(42)).toBe(false);
	});
});

describe('cleanText', () => {
	it('drops NUL and other control characters but keeps tab and line breaks', () => {
		expect(cleanText('Gift\u0000kort\u0007\u001b', 100)).toBe('Giftkort');
		expect(cleanText('rad 1\nrad 2\tindrag\r\n', 100)).toBe('rad 1\nrad 2\tindrag\r\n');
	});

	it('cuts to length without leaving half a surrogate pair', () => {
		expect(cleanText('ab😀', 3)).toBe('ab\uFFFD');
		expect(cleanText('x\uD800y', 10)).toBe('x\uFFFDy');
		expect(cleanText('åäö😀', 10)).toBe('åäö😀');
	});
});
