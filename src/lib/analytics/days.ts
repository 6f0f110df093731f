/**
 * Calendar days for flow reports (DESIGN.md §3: durations in elapsed days counted inclusively,
 * same day = 1). A day is a date in the reports' zone, so a move at 00:30 in Stockholm counts on
 * that Swedish day, not on the UTC day before. The migration's trigger uses the same zone.
 */
export const REPORT_TIME_ZONE = 'Europe/Stockholm';
const DAY_MS = 86_400_000;

const dayFormat = new Intl.DateTimeFormat('en-CA', {
	timeZone: REPORT_TIME_ZONE,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit'
});

/** 'YYYY-MM-DD' of an instant (ms since epoch) in the reports' zone. */
export function localDay(ms: number): string {
	return dayFormat.format(new Date(ms));
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written 'YYYY-MM-DD' (rejects 2026-02-30). */
export function isIsoDay(value: unknown): value is string {
	if (typeof value !== 'string') return false;
	const match = ISO_DAY.exec(value);
	if (!match) return false;
	const [, y, m, d] = match.map(Number) as [number, number, number, number];
	const date = new Date(Date.UTC(y, m - 1, d));
	return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date (its ordinal, for differences). */
export function dayNumber(day: string): number {
	const [y, m, d] = day.split('-').map(Number) as [number, number, number];
	return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

export function dayFromNumber(n: number): string {
	return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
	return dayFromNumber(dayNumber(day) + days);
}

/** Elapsed days from `fromDay` to `toDay`, counted inclusively: the same day is 1. */
export function inclusiveDays(fromDay: string, toDay: string): number {
	return dayNumber(toDay) - dayNumber(fromDay) + 1;
}

/** Every day from `from` to `to`, both included. */
export function listDays(from: string, to: string): string[] {
	const days: string[] = [];
	for (let n = dayNumber(from); n <= dayNumber(to); n++) days.push(dayFromNumber(n));
	return days;
}

/** The Monday of the ISO week a day falls in. */
export function weekStart(day: string): string {
	const n = dayNumber(day);
	// 1970-01-01 was a Thursday: (n + 3) % 7 is 0 on Mondays.
	return dayFromNumber(n - ((((n + 3) % 7) + 7) % 7));
}
