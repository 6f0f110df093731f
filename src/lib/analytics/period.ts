/**
 * The report's period from the URL: two 'YYYY-MM-DD' days, both included. Bad input gets a reason
 * the page can show, never a default that would quietly report another period.
 */
import { addDays, inclusiveDays, isIsoDay } from './days';

export interface Period {
	from: string;
	to: string;
}

/** Longest period a report covers: three years of days is already more than a chart can show. */
export const MAX_PERIOD_DAYS = 3 * 366;
export const DEFAULT_PERIOD_DAYS = 84;
/** Stage events do not exist before the product did; earlier dates are typing mistakes. */
export const EARLIEST_DAY = '2000-01-01';

export const PERIOD_PROBLEMS = ['invalid_date', 'inverted', 'too_long', 'out_of_range'] as const;
export type PeriodProblem = (typeof PERIOD_PROBLEMS)[number];

export type PeriodResult = { ok: true; period: Period } | { ok: false; problem: PeriodProblem };

export function defaultPeriod(today: string): Period {
	return { from: addDays(today, -(DEFAULT_PERIOD_DAYS - 1)), to: today };
}

/** `from`/`to` as the URL has them (null when absent: the default period's end stands in). */
export function parsePeriod(from: unknown, to: unknown, today: string): PeriodResult {
	const fallback = defaultPeriod(today);
	const fromValue = from ?? null;
	const toValue = to ?? null;
	if (fromValue === null && toValue === null) return { ok: true, period: fallback };
	const toDay = toValue === null ? today : toValue;
	if (!isIsoDay(toDay)) return { ok: false, problem: 'invalid_date' };
	const fromDay = fromValue === null ? addDays(toDay, -(DEFAULT_PERIOD_DAYS - 1)) : fromValue;
	if (!isIsoDay(fromDay)) return { ok: false, problem: 'invalid_date' };
	if (fromDay > toDay) return { ok: false, problem: 'inverted' };
	if (fromDay < EARLIEST_DAY || toDay > addDays(today, 366)) {
		return { ok: false, problem: 'out_of_range' };
	}
	if (inclusiveDays(fromDay, toDay) > MAX_PERIOD_DAYS) return { ok: false, problem: 'too_long' };
	return { ok: true, period: { from: fromDay, to: toDay } };
}
