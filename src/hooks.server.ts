import { json, text, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { m } from '$lib/paraglide/messages';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { runtimeFromEnv } from '$lib/server/kit-runtime';
import { checkRequestOrigin } from '$lib/server/origin-check';
import { setSecurityHeaders } from '$lib/server/security-headers';
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

/**
 * Security headers on every response. The Content-Security-Policy of pages is SvelteKit's
 * (`kit.csp` in svelte.config.js, with a nonce per response); see `security-headers.ts`.
 */
const handleHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	setSecurityHeaders(response.headers, event.url);
	return response;
};

/** CSRF: every state-changing request must come from our own origin (see `origin-check.ts`). */
const handleOrigin: Handle = ({ event, resolve }) => {
	const verdict = checkRequestOrigin(
		event.request.method,
		event.request.headers.get('origin'),
		event.url.origin
	);
	if (verdict.ok) return resolve(event);
	event.locals.runtime.log.warn(
		{ route: event.route.id, method: event.request.method, reason: verdict.reason },
		'request refused: not from our origin'
	);
	const message = m.security_origin_refused();
	return event.request.headers.get('accept')?.includes('application/json')
		? json({ message }, { status: 403 })
		: text(message, { status: 403 });
};

// The origin check runs inside the locale's context so its refusal is in the person's language.
export const handle = sequence(handleHeaders, handleSession, handleLocale, handleOrigin);

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
