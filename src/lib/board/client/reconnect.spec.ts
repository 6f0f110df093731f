import { describe, expect, it } from 'vitest';
import {
	DEFAULT_BACKOFF,
	firstAttemptFor,
	isPermanentClose,
	reconnectDelay,
	ReconnectScheduler,
	type Timers
} from './reconnect';

function fakeTimers() {
	const queue: { fn: () => void; ms: number; id: number }[] = [];
	let next = 1;
	const timers: Timers = {
		setTimeout(fn, ms) {
			const id = next++;
			queue.push({ fn, ms, id });
			return id;
		},
		clearTimeout(handle) {
			const at = queue.findIndex((t) => t.id === handle);
			if (at !== -1) queue.splice(at, 1);
		}
	};
	return { timers, queue };
}

describe('reconnect delays', () => {
	it('stay within [cap/2, cap] and grow to the maximum', () => {
		const options = { baseMs: 100, maxMs: 1_000 };
		expect(reconnectDelay(0, () => 0, options)).toBe(50);
		expect(reconnectDelay(0, () => 1, options)).toBe(100);
		expect(reconnectDelay(2, () => 0.5, options)).toBe(300);
		expect(reconnectDelay(10, () => 1, options)).toBe(1_000);
		expect(reconnectDelay(10, () => 0, options)).toBe(500);
	});

	it('spread a herd of clients instead of reconnecting them all at once', () => {
		let seed = 42;
		const random = () => {
			seed = (seed * 1103515245 + 12345) % 2 ** 31;
			return seed / 2 ** 31;
		};
		const delays = Array.from({ length: 200 }, () => reconnectDelay(3, random));
		const distinct = new Set(delays);
		expect(distinct.size).toBeGreaterThan(150);
		const cap = DEFAULT_BACKOFF.baseMs * 8;
		expect(Math.min(...delays)).toBeGreaterThanOrEqual(cap / 2);
		expect(Math.max(...delays)).toBeLessThanOrEqual(cap);
	});

	it('treat 44xx as permanent and give an overloaded server a longer first pause', () => {
		expect(isPermanentClose(4403)).toBe(true);
		expect(isPermanentClose(4500)).toBe(false);
		expect(isPermanentClose(1006)).toBe(false);
		expect(firstAttemptFor(1013)).toBeGreaterThan(firstAttemptFor(1006));
		expect(firstAttemptFor(null)).toBe(0);
	});
});

describe('ReconnectScheduler', () => {
	it('backs off after consecutive failures, resets after success, and keeps one timer', () => {
		const { timers, queue } = fakeTimers();
		let connects = 0;
		const scheduler = new ReconnectScheduler(() => connects++, {
			timers,
			random: () => 1,
			options: { baseMs: 100, maxMs: 10_000 }
		});
		expect(scheduler.schedule(1006)).toBe(100);
		expect(scheduler.schedule(1006)).toBe(200);
		expect(queue).toHaveLength(1);
		queue.shift()!.fn();
		expect(connects).toBe(1);
		expect(scheduler.pending).toBe(false);
		scheduler.succeeded();
		expect(scheduler.schedule(null)).toBe(100);
		scheduler.cancel();
		expect(queue).toHaveLength(0);
		expect(scheduler.schedule(1013)).toBe(800);
	});
});
