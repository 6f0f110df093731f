/**
 * Cross-site request forgery: every request that can change state must say it came from one of
 * our own pages. SvelteKit's built-in check covers only form posts (form content types); a
 * `fetch` with no body, a JSON body or another content type would pass it. Browsers send `Origin`
 * on every non-GET request, same-origin ones included, so a missing `Origin` is refused too (a
 * script outside a browser can set any header, but it has no victim's cookies to ride on).
 */

/** Methods that must not change anything (HTTP semantics); every other one is checked. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export type OriginVerdict =
	{ ok: true } | { ok: false; reason: 'missing_origin' | 'foreign_origin' };

export function checkRequestOrigin(
	method: string,
	origin: string | null,
	ownOrigin: string
): OriginVerdict {
	if (SAFE_METHODS.has(method.toUpperCase())) return { ok: true };
	if (origin === null || origin === '') return { ok: false, reason: 'missing_origin' };
	// `null` (an opaque origin: sandboxed frame, file://) is foreign like any other site.
	return origin === ownOrigin ? { ok: true } : { ok: false, reason: 'foreign_origin' };
}
