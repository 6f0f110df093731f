/**
 * The security headers every response carries, in one place. Pages also get SvelteKit's
 * Content-Security-Policy (`kit.csp` in svelte.config.js); anything else (JSON, text, redirects)
 * gets a policy that allows nothing, so a response a browser might render can run nothing.
 */
const ALWAYS: ReadonlyArray<readonly [string, string]> = [
	['X-Content-Type-Options', 'nosniff'],
	['Referrer-Policy', 'same-origin'],
	// Old browsers' framing guard; `frame-ancestors 'none'` in the CSP is the modern one.
	['X-Frame-Options', 'DENY'],
	// Tillit needs no camera, microphone, location, payment or USB; fullscreen stays allowed (a
	// board on a wall screen).
	[
		'Permissions-Policy',
		'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), browsing-topics=()'
	],
	// Another site's window that opens Tillit (or that Tillit opens) gets no handle on it.
	['Cross-Origin-Opener-Policy', 'same-origin'],
	// Our responses are for our pages only: no other site may embed them as images, scripts …
	['Cross-Origin-Resource-Policy', 'same-origin']
];

/** For responses that are not pages: nothing may load or run, and nobody may frame them. */
export const NON_PAGE_CSP =
	"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * The page's own websocket origin (`wss://host` for `https://host`): CSP Level 3 lets 'self'
 * cover it, but older Safari does not, and scheme-wide `ws:`/`wss:` would allow any host.
 */
export function socketOrigin(url: URL): string {
	return `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
}

/** Adds `source` to the policy's connect-src (the page's policy comes from SvelteKit). */
export function allowConnectTo(policy: string, source: string): string {
	return policy.replace(/(^|;)\s*connect-src([^;]*)/, (_match, start: string, sources: string) =>
		`${start} connect-src${sources.trimEnd()} ${source}`.replace(/^ /, '')
	);
}

export function setSecurityHeaders(headers: Headers, url: URL): void {
	for (const [name, value] of ALWAYS) headers.set(name, value);
	// Only over https: on plain http (a development machine) the header is meaningless.
	if (url.protocol === 'https:') headers.set('Strict-Transport-Security', HSTS);
	const policy = headers.get('Content-Security-Policy');
	if (policy) {
		headers.set('Content-Security-Policy', allowConnectTo(policy, socketOrigin(url)));
		return;
	}
	const isPage = headers.get('content-type')?.startsWith('text/html') ?? false;
	if (!isPage) headers.set('Content-Security-Policy', NON_PAGE_CSP);
}
