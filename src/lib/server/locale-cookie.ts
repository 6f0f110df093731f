/**
 * The language choice lives in Paraglide's cookie (the `cookie` strategy reads it on the server
 * and in the browser). Not HttpOnly on purpose: Paraglide's browser runtime reads it too, so
 * the page hydrates in the language it was rendered in.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { cookieMaxAge, cookieName, type Locale } from '$lib/paraglide/runtime';

export function setLocaleCookie(
	event: Pick<RequestEvent, 'cookies' | 'url'>,
	locale: Locale
): void {
	event.cookies.set(cookieName, locale, {
		path: '/',
		maxAge: cookieMaxAge,
		httpOnly: false,
		sameSite: 'lax',
		secure: event.url.protocol === 'https:'
	});
}
