/** Number and day formats of the flow report, in the reader's language. */
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages';

function locale(): string {
	return getLocale() === 'sv' ? 'sv-SE' : 'en-GB';
}

/** A 'YYYY-MM-DD' day as "27 nov. 2026" / "27 Nov 2026" (read in UTC: it is a calendar day). */
export function formatReportDay(day: string): string {
	return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(
		new Date(`${day}T00:00:00Z`)
	);
}

/** A short axis label: "27 nov." / "27 Nov". */
export function formatAxisDay(value: unknown): string {
	const date = value instanceof Date ? value : new Date(Number(value));
	return new Intl.DateTimeFormat(locale(), {
		day: 'numeric',
		month: 'short',
		timeZone: 'UTC'
	}).format(date);
}

export function dayDate(day: string): Date {
	return new Date(`${day}T00:00:00Z`);
}

export function formatNumber(value: number, fractionDigits = 0): string {
	return new Intl.NumberFormat(locale(), {
		maximumFractionDigits: fractionDigits,
		minimumFractionDigits: 0
	}).format(value);
}

/** A share 0–1 as a percentage; "–" when there is nothing to share. */
export function formatShare(value: number | null): string {
	if (value === null) return m.analytics_none();
	return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 }).format(
		value
	);
}

/** A value that may be missing (no cards): "–". */
export function orDash(value: number | null | undefined, fractionDigits = 0): string {
	return value === null || value === undefined
		? m.analytics_none()
		: formatNumber(value, fractionDigits);
}
