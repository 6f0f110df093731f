import { describe, expect, it } from 'vitest';
import { parsePeriod } from './period';

const TODAY = '2026-12-01';

describe('the report period from the URL', () => {
	it('defaults to the last 12 weeks up to today', () => {
		expect(parsePeriod(null, null, TODAY)).toEqual({
			ok: true,
			period: { from: '2026-09-09', to: '2026-12-01' }
		});
	});

	it('takes two days, both included', () => {
		expect(parsePeriod('2026-11-01', '2026-11-01', TODAY)).toEqual({
			ok: true,
			period: { from: '2026-11-01', to: '2026-11-01' }
		});
	});

	it('names what is wrong with bad input', () => {
		expect(parsePeriod('2026-02-30', '2026-03-01', TODAY)).toEqual({
			ok: false,
			problem: 'invalid_date'
		});
		expect(parsePeriod('yesterday', null, TODAY)).toEqual({ ok: false, problem: 'invalid_date' });
		expect(parsePeriod(['2026-01-01'], null, TODAY)).toEqual({
			ok: false,
			problem: 'invalid_date'
		});
		expect(parsePeriod('2026-11-02', '2026-11-01', TODAY)).toEqual({
			ok: false,
			problem: 'inverted'
		});
		expect(parsePeriod('1900-01-01', '1900-02-01', TODAY)).toEqual({
			ok: false,
			problem: 'out_of_range'
		});
		expect(parsePeriod('2026-01-01', '2099-01-01', TODAY)).toEqual({
			ok: false,
			problem: 'out_of_range'
		});
		expect(parsePeriod('2020-01-01', '2026-01-01', TODAY)).toEqual({
			ok: false,
			problem: 'too_long'
		});
	});
});
