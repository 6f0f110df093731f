/** Dates in the person's language ("27 nov. 2026" / "27 Nov 2026"). */
import { getLocale } from '$lib/paraglide/runtime';

export function formatDate(iso: string): string {
	const locale = getLocale() === 'sv' ? 'sv-SE' : 'en-GB';
	return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(iso));
}
