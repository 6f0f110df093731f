/**
 * Password-guess throttling, in memory: Tillit runs as one process, so one process's memory is the
 * whole picture (several processes would need a shared store such as Postgres or Redis instead).
 *
 * It follows OWASP's guidance against both guessing and lockout denial of service ("Slow down
 * online guessing attacks with device cookies"):
 * - An attempt is *reserved* before the password is hashed: the counters go up first, in the same
 *   synchronous step as the check, and a correct password gives its reservation back. So 30
 *   parallel guesses cannot all pass a check that none of them has counted yet.
 * - A device that has signed in to the account before (it holds a device cookie, see
 *   `trusted-device.ts`) is counted on its own: failures elsewhere never lock it out, so knowing a
 *   colleague's email is not enough to lock the colleague out.
 * - Untrusted attempts are counted per account+address pair (the main lock), per account from all
 *   addresses together (a distributed attack, with a higher threshold) and per address across
 *   accounts (password spraying). The per-address limit only slows down (seconds, not minutes):
 *   a whole municipality behind one NAT address must not be locked out because of one machine.
 *
 * Memory is bounded: each counter keeps at most `maxKeys` entries and forgets the least recently
 * touched one first; entries quiet for `forgetAfterMs` are dropped on the way.
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
	/** Failures that set no lock; each one after them does. */
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

/** One counter: after the free failures, a lock that doubles with every failure up to a ceiling. */
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

	/**
	 * Gives one reserved failure back (the password was right). A lock already set stays: it was
	 * earned by the failures before, and the device that got it right is trusted from now on.
	 */
	release(key: string, now = Date.now()): void {
		const entry = this.current(key, now);
		if (!entry) return;
		if (entry.failures <= 1 && entry.lockedUntil <= now) this.entries.delete(key);
		else this.entries.set(key, { ...entry, failures: Math.max(0, entry.failures - 1) });
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
	/** Events allowed per window; the next one is refused until the window ends. */
	limit: number;
	windowMs: number;
	maxKeys: number;
}

interface WindowEntry {
	windowStart: number;
	failures: number;
}

/**
 * At most `limit` events per key in a fixed window (anonymous ideas and photo uploads per account:
 * anonymous-ideas.ts, photo-uploads.ts).
 */
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

/** Who is guessing: the account (normalised email), the address, and the device if trusted. */
export interface PasswordAttempt {
	account: string;
	address: string;
	/** The trusted device's id for this account (its cookie's hash), or null for any other. */
	trustedDevice: string | null;
}

/** A reserved attempt: counted as a failure until `succeeded()` says the password was right. */
export interface AttemptReservation {
	succeeded(): void;
}

export type ReserveResult =
	{ allowed: true; reservation: AttemptReservation } | { allowed: false; retryAfterMs: number };

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;

export interface SignInThrottleOptions {
	pair: BackoffOptions;
	device: BackoffOptions;
	account: BackoffOptions;
	address: BackoffOptions;
}

export const SIGN_IN_THROTTLE_DEFAULTS: SignInThrottleOptions = {
	// One address guessing one account: 5 free failures, then 1, 2, 4 … 15 minutes.
	pair: {
		freeFailures: 5,
		firstLockMs: MINUTE_MS,
		maxLockMs: 15 * MINUTE_MS,
		forgetAfterMs: 60 * MINUTE_MS,
		maxKeys: 10_000
	},
	// A trusted device has its own count of the same size (a stolen device cookie buys no more).
	device: {
		freeFailures: 5,
		firstLockMs: MINUTE_MS,
		maxLockMs: 15 * MINUTE_MS,
		forgetAfterMs: 60 * MINUTE_MS,
		maxKeys: 10_000
	},
	// One account from many addresses: locks new devices only, never the owner's known ones.
	account: {
		freeFailures: 20,
		firstLockMs: MINUTE_MS,
		maxLockMs: 15 * MINUTE_MS,
		forgetAfterMs: 60 * MINUTE_MS,
		maxKeys: 10_000
	},
	// One address across accounts (spraying): a delay of seconds, growing to a minute at most, so
	// the honest people behind a shared address wait briefly instead of being locked out.
	address: {
		freeFailures: 100,
		firstLockMs: SECOND_MS,
		maxLockMs: MINUTE_MS,
		forgetAfterMs: 15 * MINUTE_MS,
		maxKeys: 10_000
	}
};

/** The counters a password check passes through (sign-in and the password change). */
export class SignInThrottle {
	private readonly pairs: BackoffThrottle;
	private readonly devices: BackoffThrottle;
	private readonly accounts: BackoffThrottle;
	private readonly addresses: BackoffThrottle;

	constructor(options: SignInThrottleOptions = SIGN_IN_THROTTLE_DEFAULTS) {
		this.pairs = new BackoffThrottle(options.pair);
		this.devices = new BackoffThrottle(options.device);
		this.accounts = new BackoffThrottle(options.account);
		this.addresses = new BackoffThrottle(options.address);
	}

	/**
	 * Checks every counter that applies and, when all allow, counts the attempt as a failure in
	 * the same step (no await in between: nothing else runs until the counters are up).
	 */
	reserve(attempt: PasswordAttempt, now = Date.now()): ReserveResult {
		const counters = this.countersFor(attempt);
		const waits = counters.flatMap(([throttle, key]) => {
			const decision = throttle.check(key, now);
			return decision.allowed ? [] : [decision.retryAfterMs];
		});
		if (waits.length > 0) return { allowed: false, retryAfterMs: Math.max(...waits) };
		for (const [throttle, key] of counters) throttle.recordFailure(key, now);
		let settled = false;
		return {
			allowed: true,
			reservation: {
				succeeded: () => {
					if (settled) return;
					settled = true;
					// The pair's and the device's own counts start again; the shared counts (the
					// account from anywhere, the address across accounts) only get this one back.
					for (const [throttle, key] of counters) {
						if (throttle === this.pairs || throttle === this.devices) throttle.reset(key);
						else throttle.release(key, now);
					}
				}
			}
		};
	}

	private countersFor(attempt: PasswordAttempt): [BackoffThrottle, string][] {
		if (attempt.trustedDevice !== null) {
			return [[this.devices, `${attempt.account}\n${attempt.trustedDevice}`]];
		}
		return [
			[this.pairs, `${attempt.account}\n${attempt.address}`],
			[this.accounts, attempt.account],
			[this.addresses, attempt.address]
		];
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
