import { describe, expect, it } from 'vitest';
import { TEXT_KINDS, findTextProblem, normaliseText, type TextKind } from './text-rules';

const check = (value: string, kind: TextKind) => findTextProblem(normaliseText(value, kind), kind);

describe('the text rule', () => {
	it('accepts ordinary text in every kind, Swedish, emoji and right-to-left scripts included', () => {
		for (const kind of TEXT_KINDS) {
			for (const value of ['Åsa Öberg', 'Team 3 – kök & städ', 'Ali 👩🏽‍⚕️', 'مريم', "O'Brien"]) {
				expect(check(value, kind)).toBeNull();
			}
		}
	});

	it('refuses every control character but TAB/LF/CR, in every kind', () => {
		const controls = [
			...Array.from({ length: 0x20 }, (_, c) => c).filter((c) => ![9, 10, 13].includes(c)),
			...Array.from({ length: 0x21 }, (_, c) => 0x7f + c) // DEL and C1
		];
		expect(controls).toHaveLength(29 + 33);
		for (const kind of TEXT_KINDS) {
			for (const code of controls) {
				expect(check(`Anna${String.fromCharCode(code)}Berg`, kind), `U+${code.toString(16)}`).toBe(
					'control'
				);
			}
		}
	});

	it('keeps line breaks and tabs in notes (CR LF and CR become LF), refuses them in one-line fields', () => {
		expect(normaliseText('one\r\ntwo\rthree\n\tfour', 'multiline')).toBe('one\ntwo\nthree\n\tfour');
		expect(check('one\r\ntwo\tthree', 'multiline')).toBeNull();
		for (const kind of ['name', 'line'] as const) {
			for (const value of ['two\nlines', 'a\ttab', 'a\rreturn', 'a\u2028separator']) {
				expect(check(value, kind)).toBe('line_break');
			}
		}
	});

	it('normalises to NFC, so one name typed two ways is one name', () => {
		const decomposed = 'Jose\u0301 A\u030Agren'; // e + combining acute, A + combining ring
		expect(normaliseText(decomposed, 'name')).toBe('José Ågren');
		expect(normaliseText(decomposed, 'name')).toHaveLength(10);
	});

	it('refuses bidi overrides and isolates in names only', () => {
		for (const char of [
			'\u202A',
			'\u202B',
			'\u202C',
			'\u202D',
			'\u202E',
			'\u2066',
			'\u2067',
			'\u2068',
			'\u2069'
		]) {
			expect(check(`Admin${char}nimdA`, 'name')).toBe('bidi');
			expect(check(`text ${char} text`, 'multiline')).toBeNull();
		}
	});

	it('refuses broken UTF-16 (a lone surrogate) but not a real astral character', () => {
		for (const kind of TEXT_KINDS) {
			expect(check('bad \uD83D here', kind)).toBe('malformed');
			expect(check('bad \uDE00 here', kind)).toBe('malformed');
			expect(check('fine \uD83D\uDE00 here', kind)).toBeNull();
		}
	});
});
