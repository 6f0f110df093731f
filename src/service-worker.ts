/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/// <reference types="@sveltejs/kit" />
/**
 * Offline from a cold start: the app shell (every built file and static file of this version) is
 * cached when the worker installs, and each page a member opens is cached as it loads, so a
 * board opened before opens again without a network — from the page cached here and the board's
 * copy in IndexedDB (live-board.svelte.ts), and it says it is offline.
 *
 * - Pages and their data (`__data.json`): network first, the cached copy only when the network
 *   fails; only successful same-origin answers are stored (never a redirect to sign-in).
 * - Built and static files: cache first (their names change with each build).
 * - Never cached: anything not GET, other origins, /api/ (people lists, history: asked fresh or
 *   not at all), the sync socket, sign-out and language switches.
 * - Signing out deletes the page cache (offline-pages.ts, called from the sign-in page).
 * Same-origin and no inline script: it fits the strict CSP.
 */
import { build, files, version } from '$service-worker';
import { PAGE_CACHE, SHELL_CACHE_PREFIX } from '$lib/offline-pages';

const sw = self as unknown as ServiceWorkerGlobalScope;
const SHELL_CACHE = `${SHELL_CACHE_PREFIX}${version}`;
const SHELL = new Set([...build, ...files]);
const NEVER_CACHED = ['/api/', '/sync', '/signout', '/language', '/healthz'];

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(SHELL_CACHE)
			.then((cache) => cache.addAll([...SHELL]))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) {
				if (key.startsWith(SHELL_CACHE_PREFIX) && key !== SHELL_CACHE) await caches.delete(key);
			}
			await sw.clients.claim();
			// The page that installed the worker loaded before it: keep a copy of it too.
			const pages = await caches.open(PAGE_CACHE);
			for (const client of await sw.clients.matchAll({ type: 'window' })) {
				if (isCachablePage(new URL(client.url))) await storePage(pages, new Request(client.url));
			}
		})()
	);
});

function isCachablePage(url: URL): boolean {
	return url.origin === sw.location.origin && !NEVER_CACHED.some((p) => url.pathname.startsWith(p));
}

/** Fetches and stores a page; resolves with the answer (or rejects when the network fails). */
async function storePage(cache: Cache, request: Request): Promise<Response> {
	const response = await fetch(request);
	if (response.ok && response.type === 'basic' && !response.redirected) {
		await cache.put(request, response.clone());
	}
	return response;
}

async function pageOrCopy(request: Request): Promise<Response> {
	const cache = await caches.open(PAGE_CACHE);
	try {
		return await storePage(cache, request);
	} catch (error) {
		// Offline: the copy of this page (its query string, e.g. ?card=, kept apart only when
		// cached that way; the board itself is the same page).
		const copy =
			(await cache.match(request)) ?? (await cache.match(request, { ignoreSearch: true }));
		if (copy) return copy;
		throw error;
	}
}

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (SHELL.has(url.pathname)) {
		event.respondWith(
			caches
				.open(SHELL_CACHE)
				.then(async (cache) => (await cache.match(url.pathname)) ?? fetch(request))
		);
		return;
	}
	if (!isCachablePage(url)) return;
	const isPage = request.mode === 'navigate' || url.pathname.endsWith('/__data.json');
	if (isPage) event.respondWith(pageOrCopy(request));
});
