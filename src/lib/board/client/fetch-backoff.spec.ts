import { describe, expect, it } from 'vitest';
import { FetchBackoff } from './fetch-backoff';

function clock() {
	let now = 1_000;
	return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('FetchBackoff', () => {
	it('sends nothing while offline', () => {
		let online = false;
		const backoff = new FetchBackoff({ online: () => online });
		expect(backoff.mayTry()).toBe(false);
		online = true;
		expect(backoff.mayTry()).toBe(true);
	});

	it('waits longer after each failure, however often it is asked, and starts over on success', () => {
		const time = clock();
		// random 1: the pause is the window's full cap (500, 1000, 2000 … ms).
		const backoff = new FetchBackoff({ now: time.now, random: () => 1, online: () => true });
		backoff.failed();
		for (let i = 0; i < 100; i++) expect(backoff.mayTry()).toBe(false);
		time.advance(499);
		expect(backoff.mayTry()).toBe(false);
		time.advance(1);
		expect(backoff.mayTry()).toBe(true);
		backoff.failed();
		time.advance(999);
		expect(backoff.mayTry()).toBe(false);
		time.advance(1);
		expect(backoff.mayTry()).toBe(true);
		backoff.succeeded();
		backoff.failed();
		time.advance(500);
		expect(backoff.mayTry()).toBe(true);
	});

	it('never waits longer than the maximum', () => {
		const time = clock();
		const backoff = new FetchBackoff({ now: time.now, random: () => 1, online: () => true });
		for (let i = 0; i < 50; i++) backoff.failed();
		time.advance(15_000);
		expect(backoff.mayTry()).toBe(true);
	});
});
