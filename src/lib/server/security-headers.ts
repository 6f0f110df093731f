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

export function setSecurityHeaders(headers: Headers, options: { https: boolean }): void {
	for (const [name, value] of ALWAYS) headers.set(name, value);
	// Only over https: on plain http (a development machine) the header is meaningless.
	if (options.https) headers.set('Strict-Transport-Security', HSTS);
	const isPage = headers.get('content-type')?.startsWith('text/html') ?? false;
	if (!isPage && !headers.has('Content-Security-Policy')) {
		headers.set('Content-Security-Policy', NON_PAGE_CSP);
	}
}
