/**
 * Reconnecting with jitter. y-websocket 3.1 backs off 100 ms × 2ⁿ with no randomness, so after a
 * server restart every open board reconnects in the same few milliseconds. The board takes the
 * retry over: when a socket closes for a transient reason, it disconnects the provider (which
 * cancels y-websocket's own timer) and connects again after a delay drawn from this schedule.
 */
import { CloseCode } from '../../sync/protocol';

export interface BackoffOptions {
	/** The first retry's ceiling. */
	baseMs: number;
	/** No retry waits longer than this. */
	maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 15_000 };

/** y-websocket treats 4400–4499 as "retrying cannot fix this" (access revoked, board gone). */
export function isPermanentClose(code: number): boolean {
	return code >= 4400 && code < 4500;
}

/**
 * A delay for retry number `attempt` (0-based): "equal jitter", uniformly in [cap/2, cap] with
 * cap = min(max, base × 2^attempt). Half the window is random, which spreads a herd of clients,
 * and the other half guarantees a pause, so a failing server is not hammered.
 */
export function reconnectDelay(
	attempt: number,
	random: () => number = Math.random,
	options: BackoffOptions = DEFAULT_BACKOFF
): number {
	const safeAttempt = Math.max(0, Math.min(30, Math.floor(attempt)));
	const cap = Math.min(options.maxMs, options.baseMs * 2 ** safeAttempt);
	const r = Math.min(1, Math.max(0, random()));
	return Math.round(cap / 2 + (r * cap) / 2);
}

/**
 * The first attempt to use after a close: an overloaded server (1013) or one that is restarting
 * (1012) gets a longer first pause than a dropped network.
 */
export function firstAttemptFor(code: number | null): number {
	if (code === CloseCode.tryAgainLater) return 3;
	if (code === CloseCode.serviceRestart) return 1;
	return 0;
}

export interface Timers {
	setTimeout(fn: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
	setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
	clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>)
};

/** Schedules one reconnect at a time; consecutive failures back off, a synced connection resets. */
export class ReconnectScheduler {
	#attempt = 0;
	#timer: unknown = null;
	readonly #connect: () => void;
	readonly #timers: Timers;
	readonly #random: () => number;
	readonly #options: BackoffOptions;

	constructor(
		connect: () => void,
		{
			timers = realTimers,
			random = Math.random,
			options = DEFAULT_BACKOFF
		}: { timers?: Timers; random?: () => number; options?: BackoffOptions } = {}
	) {
		this.#connect = connect;
		this.#timers = timers;
		this.#random = random;
		this.#options = options;
	}

	get pending(): boolean {
		return this.#timer !== null;
	}

	/** Plans the next attempt after a close with `code` (null: closed locally or no code); returns the delay. */
	schedule(code: number | null): number {
		this.cancel();
		const attempt = Math.max(this.#attempt, firstAttemptFor(code));
		const delay = reconnectDelay(attempt, this.#random, this.#options);
		this.#attempt = attempt + 1;
		this.#timer = this.#timers.setTimeout(() => {
			this.#timer = null;
			this.#connect();
		}, delay);
		return delay;
	}

	/** The connection synced: the next failure starts from a short pause again. */
	succeeded(): void {
		this.#attempt = 0;
	}

	cancel(): void {
		if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
		this.#timer = null;
	}
}
