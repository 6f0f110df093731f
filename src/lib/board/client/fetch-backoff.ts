/**
 * When the board may send an HTTP request again after one failed (the people list, a card's
 * history). Offline, nothing is sent at all; after a failure, the next attempt waits the same
 * jittered, growing pause as a reconnect (reconnect.ts), however often a screen asks. A card panel
 * once re-asked for the people list every time the list failed, ~260 times a second offline.
 */
import { DEFAULT_BACKOFF, reconnectDelay, type BackoffOptions } from './reconnect';

export interface FetchBackoffOptions {
	now?: () => number;
	random?: () => number;
	options?: BackoffOptions;
	/** Defaults to the browser's idea (navigator.onLine; true where there is none). */
	online?: () => boolean;
}

export class FetchBackoff {
	#attempt = 0;
	#notBefore = 0;
	readonly #now: () => number;
	readonly #random: () => number;
	readonly #options: BackoffOptions;
	readonly #online: () => boolean;

	constructor({
		now = () => Date.now(),
		random = Math.random,
		options = DEFAULT_BACKOFF,
		online = () => typeof navigator === 'undefined' || navigator.onLine
	}: FetchBackoffOptions = {}) {
		this.#now = now;
		this.#random = random;
		this.#options = options;
		this.#online = online;
	}

	/** Whether a request may go now: online, and any pause after the last failure is over. */
	mayTry(): boolean {
		return this.#online() && this.#now() >= this.#notBefore;
	}

	/** The request failed: the next one waits longer (up to the maximum). */
	failed(): void {
		this.#notBefore = this.#now() + reconnectDelay(this.#attempt, this.#random, this.#options);
		this.#attempt = Math.min(this.#attempt + 1, 30);
	}

	succeeded(): void {
		this.#attempt = 0;
		this.#notBefore = 0;
	}
}
