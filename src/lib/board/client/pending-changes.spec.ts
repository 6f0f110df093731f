import { describe, expect, it } from 'vitest';
import { PendingChanges } from './pending-changes';

describe('PendingChanges', () => {
	it('counts offline edits until a connection opens and the server confirms them', () => {
		const seen: number[] = [];
		const pending = new PendingChanges((count) => seen.push(count));
		pending.recordLocalUpdate();
		pending.recordLocalUpdate();
		expect(pending.snapshot).toEqual({ unsent: 2, inFlight: 0 });
		pending.connectionOpened();
		expect(pending.snapshot).toEqual({ unsent: 0, inFlight: 2 });
		expect(pending.count).toBe(2);
		pending.acknowledge();
		expect(pending.count).toBe(0);
		expect(seen.at(-1)).toBe(0);
	});

	it('does not call updates saved when the connection drops before the acknowledgement', () => {
		const pending = new PendingChanges();
		pending.connectionOpened();
		pending.recordLocalUpdate();
		pending.connectionClosed();
		expect(pending.snapshot).toEqual({ unsent: 1, inFlight: 0 });
		// A late acknowledgement from a dead connection cannot clear anything.
		pending.acknowledge();
		expect(pending.count).toBe(1);
		pending.connectionOpened();
		pending.acknowledge();
		expect(pending.count).toBe(0);
	});

	it('counts edits made while connected as in flight, and restores a previous visit’s count', () => {
		const pending = new PendingChanges();
		pending.restoreUnsent(3);
		expect(pending.snapshot).toEqual({ unsent: 3, inFlight: 0 });
		pending.connectionOpened();
		pending.recordLocalUpdate();
		expect(pending.snapshot).toEqual({ unsent: 0, inFlight: 4 });
		pending.restoreUnsent(Number.NaN);
		pending.restoreUnsent(-2);
		expect(pending.count).toBe(4);
		pending.reset();
		expect(pending.count).toBe(0);
	});
});
