/** The known-device cookie's attributes, in one place (see `trusted-device.ts` for what it means). */
import type { RequestEvent } from '@sveltejs/kit';
import { dev } from '$app/environment';

export const DEVICE_COOKIE = 'tillit_device';
const DEVICE_COOKIE_LIFETIME_S = 365 * 24 * 60 * 60;

export function getDeviceCookie(event: Pick<RequestEvent, 'cookies'>): string | undefined {
	return event.cookies.get(DEVICE_COOKIE);
}

export function setDeviceCookie(event: Pick<RequestEvent, 'cookies' | 'url'>, token: string): void {
	event.cookies.set(DEVICE_COOKIE, token, {
		httpOnly: true,
		sameSite: 'lax',
		secure: !dev && event.url.protocol === 'https:',
		maxAge: DEVICE_COOKIE_LIFETIME_S,
		path: '/'
	});
}
