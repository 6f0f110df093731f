import { describe, expect, it } from 'vitest';
import { BackoffThrottle, SignInThrottle, WindowThrottle, minutesToWait } from './rate-limit';

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

describe('WindowThrottle (per address)', () => {
	it('refuses after the limit until the window ends', () => {
		const throttle = new WindowThrottle({ limit: 2, windowMs: 10 * MINUTE, maxKeys: 10 });
		throttle.recordFailure('10.0.0.1', 0);
		throttle.recordFailure('10.0.0.1', MINUTE);
		expect(throttle.check('10.0.0.1', MINUTE)).toEqual({
			allowed: false,
			retryAfterMs: 9 * MINUTE
		});
		expect(throttle.check('10.0.0.2', MINUTE).allowed).toBe(true);
		expect(throttle.check('10.0.0.1', 10 * MINUTE).allowed).toBe(true);
	});

	it('stays bounded under a flood of addresses', () => {
		const throttle = new WindowThrottle({ limit: 1, windowMs: MINUTE, maxKeys: 50 });
		for (let i = 0; i < 10_000; i++) throttle.recordFailure(`addr-${i}`, 0);
		expect(throttle.size).toBe(50);
	});
});

describe('SignInThrottle', () => {
	it('answers with the longer of the two waits and lets a correct password clear the account', () => {
		const throttle = new SignInThrottle();
		for (let i = 0; i < 6; i++) throttle.recordFailure('anna@example.se', '10.0.0.1', 0);
		const decision = throttle.check('anna@example.se', '10.0.0.9', 0);
		expect(decision.allowed).toBe(false);
		// The same account from another address is still locked; another account is not.
		expect(throttle.check('bo@example.se', '10.0.0.1', 0).allowed).toBe(true);
		throttle.recordSuccess('anna@example.se');
		expect(throttle.check('anna@example.se', '10.0.0.1', 0).allowed).toBe(true);
	});

	it('locks an address that sprays many accounts', () => {
		const throttle = new SignInThrottle();
		for (let i = 0; i < 100; i++) throttle.recordFailure(`user${i}@example.se`, '10.0.0.1', 0);
		expect(throttle.check('new@example.se', '10.0.0.1', 0).allowed).toBe(false);
		expect(throttle.check('new@example.se', '10.0.0.2', 0).allowed).toBe(true);
	});
});

describe('minutesToWait', () => {
	it('rounds up to whole minutes, at least one', () => {
		expect(minutesToWait(1)).toBe(1);
		expect(minutesToWait(MINUTE)).toBe(1);
		expect(minutesToWait(MINUTE + 1)).toBe(2);
	});
});
