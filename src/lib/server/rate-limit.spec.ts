import { describe, expect, it } from 'vitest';
import { BackoffThrottle, SignInThrottle, minutesToWait } from './rate-limit';

const MINUTE = 60_000;

describe('BackoffThrottle (per account)', () => {
	const options = {
		freeFailures: 3,
		firstLockMs: MINUTE,
		maxLockMs: 4 * MINUTE,
		forgetAfterMs: 60 * MINUTE,
		maxKeys: 100
	};

	it('allows the free failures, then locks for a doubling time up to the ceiling', () => {
		const throttle = new BackoffThrottle(options);
		const t0 = 1_000_000;
		for (let i = 0; i < 3; i++) {
			expect(throttle.check('anna@example.se', t0).allowed).toBe(true);
			throttle.recordFailure('anna@example.se', t0);
		}
		expect(throttle.check('anna@example.se', t0)).toEqual({ allowed: true });
		throttle.recordFailure('anna@example.se', t0); // 4th: first lock, 1 min
		expect(throttle.check('anna@example.se', t0)).toEqual({ allowed: false, retryAfterMs: MINUTE });
		expect(throttle.check('anna@example.se', t0 + MINUTE).allowed).toBe(true);

		throttle.recordFailure('anna@example.se', t0 + MINUTE); // 5th: 2 min
		expect(throttle.check('anna@example.se', t0 + MINUTE)).toEqual({
			allowed: false,
			retryAfterMs: 2 * MINUTE
		});
		const t1 = t0 + 3 * MINUTE;
		throttle.recordFailure('anna@example.se', t1); // 6th: 4 min
		throttle.recordFailure('anna@example.se', t1); // 7th: would be 8, capped at 4
		expect(throttle.check('anna@example.se', t1)).toEqual({
			allowed: false,
			retryAfterMs: 4 * MINUTE
		});
	});

	it('keeps accounts apart and clears an account on success', () => {
		const throttle = new BackoffThrottle({ ...options, freeFailures: 0 });
		throttle.recordFailure('a', 0);
		expect(throttle.check('a', 0).allowed).toBe(false);
		expect(throttle.check('b', 0).allowed).toBe(true);
		throttle.reset('a');
		expect(throttle.check('a', 0).allowed).toBe(true);
	});

	it('forgets an account after a quiet period', () => {
		const throttle = new BackoffThrottle(options);
		for (let i = 0; i < 5; i++) throttle.recordFailure('a', 0);
		const later = 4 * MINUTE + options.forgetAfterMs;
		expect(throttle.check('a', later).allowed).toBe(true);
		throttle.recordFailure('a', later); // counts from one again: no lock
		expect(throttle.check('a', later).allowed).toBe(true);
	});

	it('holds at most maxKeys entries, forgetting the least recently used', () => {
		const throttle = new BackoffThrottle({ ...options, freeFailures: 0, maxKeys: 3 });
		for (const key of ['a', 'b', 'c', 'd']) throttle.recordFailure(key, 0);
		expect(throttle.size).toBe(3);
		expect(throttle.check('a', 0).allowed).toBe(true); // evicted
		expect(throttle.check('d', 0).allowed).toBe(false);
	});
});

describe('BackoffThrottle.release', () => {
	it('gives one failure back and keeps a lock already earned', () => {
		const throttle = new BackoffThrottle({
			freeFailures: 1,
			firstLockMs: MINUTE,
			maxLockMs: 4 * MINUTE,
			forgetAfterMs: 60 * MINUTE,
			maxKeys: 10
		});
		throttle.recordFailure('a', 0);
		throttle.release('a', 0);
		throttle.recordFailure('a', 0); // the released one did not count: still free
		expect(throttle.check('a', 0).allowed).toBe(true);
		throttle.recordFailure('a', 0); // 2nd: locked
		throttle.release('a', 0);
		expect(throttle.check('a', 0).allowed).toBe(false);
	});
});

const anna = (address: string, trustedDevice: string | null = null) => ({
	account: 'anna@example.se',
	address,
	trustedDevice
});

/** Reserves `n` attempts that all turn out wrong; returns how many were let through. */
function failMany(throttle: SignInThrottle, attempt: ReturnType<typeof anna>, n: number, now = 0) {
	let allowed = 0;
	for (let i = 0; i < n; i++) if (throttle.reserve(attempt, now).allowed) allowed++;
	return allowed;
}

describe('SignInThrottle', () => {
	it('counts an attempt when it is reserved, so parallel guesses cannot pass one check together', () => {
		const throttle = new SignInThrottle();
		// 30 reservations before any of them finishes: 5 free ones and the 6th that sets the lock.
		expect(failMany(throttle, anna('10.0.0.1'), 30)).toBe(6);
		const refused = throttle.reserve(anna('10.0.0.1'), 0);
		expect(refused).toEqual({ allowed: false, retryAfterMs: MINUTE });
	});

	it('a correct password gives its reservation back and clears the pair', () => {
		const throttle = new SignInThrottle();
		expect(failMany(throttle, anna('10.0.0.1'), 4)).toBe(4);
		const right = throttle.reserve(anna('10.0.0.1'), 0);
		if (!right.allowed) throw new Error('expected an allowed attempt');
		right.reservation.succeeded();
		right.reservation.succeeded(); // settling twice changes nothing
		expect(failMany(throttle, anna('10.0.0.1'), 10)).toBe(6);
	});

	it('locks a pair, not the account: another address and a trusted device still get in', () => {
		const throttle = new SignInThrottle();
		failMany(throttle, anna('10.0.0.1'), 30);
		expect(throttle.reserve(anna('10.0.0.2'), 0).allowed).toBe(true);
		expect(throttle.reserve(anna('10.0.0.1', 'device-1'), 0).allowed).toBe(true);
	});

	it('locks new devices of an account guessed from many addresses, never its trusted device', () => {
		const throttle = new SignInThrottle();
		let allowed = 0;
		for (let i = 0; i < 100; i++) if (throttle.reserve(anna(`10.0.${i}.1`), 0).allowed) allowed++;
		expect(allowed).toBe(21); // 20 free, the 21st sets the account's lock
		expect(throttle.reserve(anna('10.9.9.9'), 0).allowed).toBe(false);
		expect(throttle.reserve(anna('10.9.9.9', 'device-1'), 0).allowed).toBe(true);
	});

	it('a trusted device has its own limit: a stolen device cookie buys no extra guesses', () => {
		const throttle = new SignInThrottle();
		expect(failMany(throttle, anna('10.0.0.1', 'device-1'), 30)).toBe(6);
	});

	it('slows an address that sprays many accounts for seconds, not minutes, and only new devices', () => {
		const throttle = new SignInThrottle();
		for (let i = 0; i < 101; i++) {
			throttle.reserve(
				{ account: `user${i}@example.se`, address: '10.0.0.1', trustedDevice: null },
				0
			);
		}
		const sprayed = throttle.reserve(
			{ account: 'new@example.se', address: '10.0.0.1', trustedDevice: null },
			0
		);
		expect(sprayed).toEqual({ allowed: false, retryAfterMs: 1000 });
		expect(
			throttle.reserve(
				{ account: 'new@example.se', address: '10.0.0.1', trustedDevice: null },
				1000
			).allowed
		).toBe(true);
		expect(throttle.reserve(anna('10.0.0.1', 'device-1'), 0).allowed).toBe(true);
		expect(throttle.reserve(anna('10.0.0.2'), 0).allowed).toBe(true);
	});
});

describe('minutesToWait', () => {
	it('rounds up to whole minutes, at least one', () => {
		expect(minutesToWait(1)).toBe(1);
		expect(minutesToWait(MINUTE)).toBe(1);
		expect(minutesToWait(MINUTE + 1)).toBe(2);
	});
});
