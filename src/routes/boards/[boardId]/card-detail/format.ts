/** Dates and times in the card panel, in the reader's language. */
import { getLocale } from '$lib/paraglide/runtime';

function locale(): string {
	return getLocale() === 'sv' ? 'sv-SE' : 'en-GB';
}

/** Calendar dates: the app's one formatter (also used by the follow-up lists). */
export { formatDay } from '$lib/pdca-labels';

/** A moment (ms since epoch) with its time of day, in the reader's time zone. */
export function formatMoment(at: number): string {
	if (!Number.isFinite(at) || at <= 0) return '';
	return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(
		new Date(at)
	);
}

/** Numbers as the reader writes them (decimal comma in Swedish). */
export function formatNumber(value: number): string {
	return new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 }).format(value);
}

/**
 * A number typed by a person: "12,5" and "12.5" both mean twelve and a half (Swedish keyboards
 * write a comma). Null when it is not a finite number.
 */
export function parseNumberInput(value: string): number | null {
	const trimmed = value.trim().replace(/\s+/g, '').replace(',', '.');
	if (!/^-?\d+(\.\d+)?$/.test(trimmed)) return null;
	const number = Number(trimmed);
	return Number.isFinite(number) ? number : null;
}
