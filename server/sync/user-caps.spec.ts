import { describe, expect, it } from 'vitest';
import { UserCaps } from './user-caps';

describe('UserCaps', () => {
	it('counts sockets per person and board and shares one presence bucket between them', () => {
		const caps = new UserCaps({
			maxConnectionsPerUserPerBoard: 2,
			awarenessPerSecond: 0.001,
			awarenessBurst: 1
		});
		const first = caps.join('b1', 'u1')!;
		const second = caps.join('b1', 'u1')!;
		expect(caps.join('b1', 'u1')).toBeNull();
		expect(caps.join('b2', 'u1')).not.toBeNull(); // another board
		expect(caps.join('b1', 'u2')).not.toBeNull(); // another person
		expect(first.awarenessBucket).toBe(second.awarenessBucket);
		expect(first.awarenessBucket.take()).toBe(true);
		expect(second.awarenessBucket.take()).toBe(false);
		first.release();
		first.release(); // once only
		expect(caps.sockets('b1', 'u1')).toBe(1);
		expect(caps.join('b1', 'u1')).not.toBeNull();
	});
});
