import { describe, expect, it } from 'vitest';
import { PendingChanges, updateBearingKind } from './pending-changes';

describe('PendingChanges', () => {
	it('counts offline edits until the handshake carries them and the server confirms that message', () => {
		const seen: number[] = [];
		const pending = new PendingChanges((count) => seen.push(count));
		pending.recordLocalUpdate(null);
		pending.recordLocalUpdate(null);
		expect(pending.snapshot).toEqual({ unsent: 2, inFlight: 0 });
		pending.handshakeSent(1);
		expect(pending.snapshot).toEqual({ unsent: 0, inFlight: 2 });
		pending.acknowledge(0);
		expect(pending.count).toBe(2);
		pending.acknowledge(1);
		expect(pending.count).toBe(0);
		expect(seen.at(-1)).toBe(0);
	});

	it('keeps a change sent after the acknowledged message pending (no early "saved")', () => {
		const pending = new PendingChanges();
		pending.handshakeSent(1);
		pending.recordLocalUpdate(2);
		pending.recordLocalUpdate(3);
		pending.acknowledge(2);
		expect(pending.count).toBe(1);
		pending.acknowledge(3);
		expect(pending.count).toBe(0);
	});

	it('puts unacknowledged changes back to waiting when the connection drops', () => {
		const pending = new PendingChanges();
		pending.recordLocalUpdate(1);
		pending.recordLocalUpdate(2);
		pending.acknowledge(1);
		pending.connectionClosed();
		expect(pending.snapshot).toEqual({ unsent: 1, inFlight: 0 });
		// New connection: numbering starts over; the handshake carries the waiting change.
		pending.recordLocalUpdate(1);
		pending.handshakeSent(2);
		expect(pending.snapshot).toEqual({ unsent: 0, inFlight: 2 });
		pending.acknowledge(1);
		expect(pending.count).toBe(1);
		pending.acknowledge(2);
		expect(pending.count).toBe(0);
	});

	it('restores a previous visit’s count and ignores nonsense', () => {
		const pending = new PendingChanges();
		pending.restoreUnsent(3, null);
		pending.restoreUnsent(Number.NaN, null);
		pending.restoreUnsent(-2, 4);
		expect(pending.snapshot).toEqual({ unsent: 3, inFlight: 0 });
		pending.restoreUnsent(2, 5);
		expect(pending.snapshot).toEqual({ unsent: 3, inFlight: 2 });
		pending.reset();
		expect(pending.count).toBe(0);
	});
});

describe('updateBearingKind', () => {
	it('recognises SyncStep2 and Update frames only', () => {
		expect(updateBearingKind(new Uint8Array([0, 1, 0]))).toBe('handshake');
		expect(updateBearingKind(new Uint8Array([0, 2, 3, 1, 2, 3]).buffer)).toBe('update');
		expect(updateBearingKind(new Uint8Array([0, 0, 1, 0]))).toBeNull();
		expect(updateBearingKind(new Uint8Array([1, 2]))).toBeNull();
		expect(updateBearingKind('text')).toBeNull();
	});
});
