/**
 * The names of the service worker's caches (src/service-worker.ts), shared with the page so that
 * signing out can delete what one person opened: the app shell is the same for everyone, the
 * pages are that person's (a board's page carries its name and the member's role).
 */
export const SHELL_CACHE_PREFIX = 'tillit-shell-';
export const PAGE_CACHE = 'tillit-pages-v1';

/** Deletes the cached pages (sign-out); the shell stays. Browser only; best effort. */
export async function clearCachedPages(): Promise<void> {
	if (typeof caches === 'undefined') return;
	try {
		await caches.delete(PAGE_CACHE);
	} catch {
		// No cache storage (private mode): nothing was cached.
	}
}
