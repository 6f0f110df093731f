/**
 * Sign-in throttling, in memory: Tillit runs as one process, so one process's memory is the whole
 * picture (several processes would need a shared store such as Postgres or Redis instead).
 *
 * Two limits work together:
 * - per account (the normalised email, whether or not such an account exists, so the answer does
 *   not reveal which emails are registered): a few free failures, then a lock that doubles with
 *   every further failure, up to a ceiling. A successful sign-in clears it.
 * - per IP address: many failures within a fixed window. It is generous on purpose: a whole
 *   municipal office may share one address, and their sessions last 30 days, so honest traffic
 *   rarely fails much; password spraying across many accounts does.
 *
 * Memory is bounded: each limiter keeps at most `maxKeys` entries and forgets the least recently
 * touched one first; entries whose lock and window have passed are dropped on the way.
 */

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** A Map that forgets its least recently used key beyond `maxKeys` (Map keeps insertion order). */
class BoundedMap<V> {
	private readonly entries = new Map<string, V>();
	constructor(private readonly maxKeys: number) {}

	get(key: string): V | undefined {
		return this.entries.get(key);
	}

	set(key: string, value: V): void {
		this.entries.delete(key); // re-insert: now the most recently used
		this.entries.set(key, value);
		while (this.entries.size > this.maxKeys) {
			const oldest = this.entries.keys().next();
			if (oldest.done) break;
			this.entries.delete(oldest.value);
		}
	}

	delete(key: string): void {
		this.entries.delete(key);
	}

	get size(): number {
		return this.entries.size;
	}
}

export interface BackoffOptions {
	/** Failures allowed before the first lock. */
	freeFailures: number;
	/** Length of the first lock; each further failure doubles it. */
	firstLockMs: number;
	maxLockMs: number;
	/** A key with no failure for this long starts again from zero. */
	forgetAfterMs: number;
	maxKeys: number;
}

interface BackoffEntry {
	failures: number;
	lastFailureAt: number;
	lockedUntil: number;
}

/** Per-account throttle: exponential lock after repeated failures. */
export class BackoffThrottle {
	private readonly entries: BoundedMap<BackoffEntry>;
	constructor(private readonly options: BackoffOptions) {
		this.entries = new BoundedMap(options.maxKeys);
	}

	check(key: string, now = Date.now()): ThrottleDecision {
		const entry = this.current(key, now);
		if (!entry || entry.lockedUntil <= now) return { allowed: true };
		return { allowed: false, retryAfterMs: entry.lockedUntil - now };
	}

	recordFailure(key: string, now = Date.now()): void {
		const previous = this.current(key, now);
		const failures = (previous?.failures ?? 0) + 1;
		const over = failures - this.options.freeFailures;
		const lockMs =
			over > 0 ? Math.min(this.options.firstLockMs * 2 ** (over - 1), this.options.maxLockMs) : 0;
		this.entries.set(key, { failures, lastFailureAt: now, lockedUntil: now + lockMs });
	}

	reset(key: string): void {
		this.entries.delete(key);
	}

	get size(): number {
		return this.entries.size;
	}

	private current(key: string, now: number): BackoffEntry | undefined {
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		const quietSince = Math.max(entry.lastFailureAt, entry.lockedUntil);
		if (now - quietSince >= this.options.forgetAfterMs) {
			this.entries.delete(key);
			return undefined;
		}
		return entry;
	}
}

export interface WindowOptions {
	/** Failures allowed per window; the next one is refused until the window ends. */
	limit: number;
	windowMs: number;
	maxKeys: number;
}

interface WindowEntry {
	windowStart: number;
	failures: number;
}

/** Per-IP throttle: at most `limit` failures in a fixed window. */
export class WindowThrottle {
	private readonly entries: BoundedMap<WindowEntry>;
	constructor(private readonly options: WindowOptions) {
		this.entries = new BoundedMap(options.maxKeys);
	}

	check(key: string, now = Date.now()): ThrottleDecision {
		const entry = this.current(key, now);
		if (!entry || entry.failures < this.options.limit) return { allowed: true };
		return { allowed: false, retryAfterMs: entry.windowStart + this.options.windowMs - now };
	}

	recordFailure(key: string, now = Date.now()): void {
		const entry = this.current(key, now) ?? { windowStart: now, failures: 0 };
		this.entries.set(key, { windowStart: entry.windowStart, failures: entry.failures + 1 });
	}

	get size(): number {
		return this.entries.size;
	}

	private current(key: string, now: number): WindowEntry | undefined {
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		if (now - entry.windowStart >= this.options.windowMs) {
			this.entries.delete(key);
			return undefined;
		}
		return entry;
	}
}

const MINUTE_MS = 60_000;

/** The two limits a password check passes through (sign-in and the password change). */
export class SignInThrottle {
	readonly accounts = new BackoffThrottle({
		freeFailures: 5,
		firstLockMs: MINUTE_MS,
		maxLockMs: 15 * MINUTE_MS,
		forgetAfterMs: 60 * MINUTE_MS,
		maxKeys: 10_000
	});
	readonly addresses = new WindowThrottle({
		limit: 100,
		windowMs: 15 * MINUTE_MS,
		maxKeys: 10_000
	});

	/** May this account be tried from this address now? The longer wait wins. */
	check(account: string, address: string, now = Date.now()): ThrottleDecision {
		const byAccount = this.accounts.check(account, now);
		const byAddress = this.addresses.check(address, now);
		const waits = [byAccount, byAddress].flatMap((d) => (d.allowed ? [] : [d.retryAfterMs]));
		return waits.length === 0
			? { allowed: true }
			: { allowed: false, retryAfterMs: Math.max(...waits) };
	}

	recordFailure(account: string, address: string, now = Date.now()): void {
		this.accounts.recordFailure(account, now);
		this.addresses.recordFailure(address, now);
	}

	/** A correct password clears the account's failures (the address keeps its count). */
	recordSuccess(account: string): void {
		this.accounts.reset(account);
	}
}

/**
 * The process's throttle. One module-level instance is deliberate: throttling must see every
 * attempt in the process, and it holds no user data beyond counters keyed by email and address.
 */
export const signInThrottle = new SignInThrottle();

/** Whole minutes to wait, rounded up (shown to the person). */
export function minutesToWait(retryAfterMs: number): number {
	return Math.max(1, Math.ceil(retryAfterMs / MINUTE_MS));
}
