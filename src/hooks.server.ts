import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { runtimeFromEnv } from '$lib/server/kit-runtime';
import { SESSION_COOKIE, validateSessionToken } from '$lib/server/session';
import { setSessionCookie, deleteSessionCookie } from '$lib/server/session-cookie';
import { readDisplayPrincipal } from '$lib/server/display-cookie';

export const init: ServerInit = async () => {
	await runtimeFromEnv();
};

/** The session check for every request: sets locals.user, slides the cookie's expiry. */
const handleSession: Handle = async ({ event, resolve }) => {
	const runtime = await runtimeFromEnv();
	event.locals.runtime = runtime;
	const token = event.cookies.get(SESSION_COOKIE);
	const result = await validateSessionToken(runtime.database.db, token);
	if (result.session) {
		if (result.fresh && token) setSessionCookie(event, token, result.session.expiresAt);
	} else if (token) {
		deleteSessionCookie(event);
	}
	event.locals.user = result.user;
	event.locals.session = result.session;
	// A stand-up TV's display link: a viewer of one board, never a person (see display-link.ts).
	event.locals.display = result.user ? null : await readDisplayPrincipal(event);
	return resolve(event);
};

const handleLocale: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
	});

/** Security headers on every response (the CSP lives in svelte.config.js). */
const handleHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	return response;
};

export const handle = sequence(handleHeaders, handleSession, handleLocale);

/** A broken invariant: logged once with an id, shown to the user without details. */
export const handleError: HandleServerError = async ({ error, event, status, message }) => {
	const errorId = crypto.randomUUID();
	if (status >= 500) {
		const runtime = await runtimeFromEnv().catch(() => null);
		runtime?.log.error(
			{
				errorId,
				// The route, not the path: an invite path carries its token, which must never be logged.
				route: event.route.id,
				err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error)
			},
			'unhandled error'
		);
	}
	return { message: status >= 500 ? `Internal error (${errorId})` : message };
};
