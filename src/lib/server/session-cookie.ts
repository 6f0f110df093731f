/** The session cookie's attributes, in one place: HttpOnly, SameSite=Lax, Secure in production. */
import type { RequestEvent } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { SESSION_COOKIE } from './session';

export function setSessionCookie(
	event: Pick<RequestEvent, 'cookies' | 'url'>,
	token: string,
	expiresAt: Date
): void {
	event.cookies.set(SESSION_COOKIE, token, {
		httpOnly: true,
		sameSite: 'lax',
		// Secure whenever served over https, and always outside development.
		secure: !dev && event.url.protocol === 'https:',
		expires: expiresAt,
		path: '/'
	});
}

export function deleteSessionCookie(event: Pick<RequestEvent, 'cookies' | 'url'>): void {
	event.cookies.delete(SESSION_COOKIE, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: !dev && event.url.protocol === 'https:'
	});
}
