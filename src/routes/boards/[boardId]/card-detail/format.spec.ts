import { describe, expect, it } from 'vitest';
import { parseNumberInput } from './format';

describe('parseNumberInput', () => {
	it('reads decimal commas and points, signs and spaces', () => {
		expect(parseNumberInput('12,5')).toBe(12.5);
		expect(parseNumberInput(' 12.5 ')).toBe(12.5);
		expect(parseNumberInput('-3')).toBe(-3);
		expect(parseNumberInput('1 200')).toBe(1200);
	});

	it('answers null for what is not a number', () => {
		expect(parseNumberInput('')).toBeNull();
		expect(parseNumberInput('12 minutes')).toBeNull();
		expect(parseNumberInput('1,2,3')).toBeNull();
		expect(parseNumberInput('Infinity')).toBeNull();
	});
});
