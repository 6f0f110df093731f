/**
 * The board page's address as state: the open card (`?card=`) and the filters live in its query.
 * SvelteKit's shallow routing (pushState/replaceState) changes the address without a navigation —
 * which is what we want: no load runs, the live board stays — but it leaves `page.url` as it was,
 * so this reads the browser's own address and is told when it changes: by our own push/replace,
 * by Back/Forward (popstate) and by real navigations (afterNavigate, wired by the page).
 */
import { pushState, replaceState } from '$app/navigation';

export class BoardAddress {
	#version = $state(0);
	readonly #initial: URL;

	/** `initial`: the address the page was rendered for (all there is on the server). */
	constructor(initial: URL) {
		this.#initial = initial;
	}

	get url(): URL {
		// Read to subscribe: every change of the address bumps it.
		void this.#version;
		// A fresh copy per read: callers may change it without touching the browser's.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		return new URL(typeof location === 'undefined' ? this.#initial : location.href);
	}

	/** A new history entry (Back returns to the address before it). */
	push(url: URL): void {
		// This page's own address with another query: nothing for resolve() to do.
		// eslint-disable-next-line svelte/no-navigation-without-resolve
		pushState(url, {});
		this.changed();
	}

	/** The same history entry, another address (filters: no entry per click). */
	replace(url: URL): void {
		// eslint-disable-next-line svelte/no-navigation-without-resolve
		replaceState(url, {});
		this.changed();
	}

	/** The address changed some other way (Back/Forward, a navigation). */
	changed(): void {
		this.#version++;
	}
}
