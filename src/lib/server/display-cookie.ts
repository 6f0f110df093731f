/** The display link's cookie (SvelteKit side): HttpOnly, SameSite=Lax, long-lived, Secure on https. */
import type { RequestEvent } from '@sveltejs/kit';
import { dev } from '$app/environment';
import {
	DISPLAY_COOKIE,
	DISPLAY_COOKIE_LIFETIME_MS,
	validateDisplayToken,
	type DisplayPrincipal
} from './display-link';

type CookieEvent = Pick<RequestEvent, 'cookies' | 'url'>;

function attributes(event: CookieEvent) {
	// Path "/": the board's socket (/sync/…) and photos (/api/…) need it as well as the page.
	return {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: !dev && event.url.protocol === 'https:'
	} as const;
}

export function setDisplayCookie(event: CookieEvent, token: string, now = Date.now()): void {
	event.cookies.set(DISPLAY_COOKIE, token, {
		...attributes(event),
		expires: new Date(now + DISPLAY_COOKIE_LIFETIME_MS)
	});
}

export function deleteDisplayCookie(event: CookieEvent): void {
	event.cookies.delete(DISPLAY_COOKIE, attributes(event));
}

/**
 * The hook's part: a request without a person's session may carry a display cookie. A revoked or
 * forged one is deleted, so the TV lands on the sign-in page instead of retrying it.
 */
export async function readDisplayPrincipal(
	event: CookieEvent & Pick<RequestEvent, 'locals'>
): Promise<DisplayPrincipal | null> {
	const token = event.cookies.get(DISPLAY_COOKIE);
	if (!token) return null;
	const display = await validateDisplayToken(event.locals.runtime.database.db, token);
	if (!display) deleteDisplayCookie(event);
	return display;
}
