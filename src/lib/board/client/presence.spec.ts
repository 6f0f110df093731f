import { describe, expect, it } from 'vitest';
import {
	colourForUser,
	editorsByCard,
	initialsOf,
	PRESENCE_COLOURS,
	readPeers,
	uniquePeople
} from './presence';

describe('presence', () => {
	it('reads valid awareness states and drops malformed ones', () => {
		const states = new Map<number, unknown>([
			[1, { user: { id: 'u1', name: 'Anna Berg', colour: '#1f5fa8' }, editing: 'c1' }],
			[2, { user: { id: 'u2', name: 'Bo', colour: 'red; background: url(x)' }, editing: 42 }],
			[3, { user: { name: 'no id' } }],
			[4, 'garbage'],
			[5, null]
		]);
		const peers = readPeers(states, 2);
		expect(peers.map((p) => p.clientId)).toEqual([2, 1]);
		expect(peers[0]).toMatchObject({ userId: 'u2', isSelf: true, editing: null });
		expect(peers[0]!.colour).toBe(colourForUser('u2'));
		expect(peers[1]).toMatchObject({ name: 'Anna Berg', editing: 'c1', isSelf: false });
	});

	it('lists each person once and maps cards to the others editing them', () => {
		const states = new Map<number, unknown>([
			[1, { user: { id: 'u1', name: 'Anna' }, editing: 'c1' }],
			[2, { user: { id: 'u1', name: 'Anna' }, editing: 'c1' }],
			[3, { user: { id: 'u2', name: 'Bo' }, editing: 'c1' }],
			[4, { user: { id: 'me', name: 'Me' }, editing: 'c1' }]
		]);
		const peers = readPeers(states, 4);
		expect(uniquePeople(peers).map((p) => p.userId)).toEqual(['me', 'u1', 'u2']);
		expect(
			editorsByCard(peers)
				.get('c1')!
				.map((p) => p.userId)
		).toEqual(['u1', 'u2']);
	});

	it('gives stable colours from the palette and readable initials', () => {
		expect(colourForUser('abc')).toBe(colourForUser('abc'));
		expect(PRESENCE_COLOURS).toContain(colourForUser('someone'));
		expect(initialsOf('Anna Maria Berg')).toBe('AB');
		expect(initialsOf('  örjan ')).toBe('Ö');
		expect(initialsOf('')).toBe('?');
	});
});
