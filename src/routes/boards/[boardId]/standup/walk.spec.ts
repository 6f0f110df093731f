import { describe, expect, it } from 'vitest';
import type { CardView } from '$lib/board/document';
import { emptyColumns } from '$lib/board/client/card-views';
import { nextSeq, readWalkPosition, step, walkDelta, walkOrder, WALK_FIELD } from './walk';

function card(id: string, stage: CardView['stage']): CardView {
	return {
		id,
		title: id,
		description: '',
		beneficiary: '',
		stage,
		rank: 'a0',
		movedAt: 0,
		movedBy: '',
		cycle: 1,
		createdAt: 0,
		createdBy: ''
	};
}

describe('walkOrder', () => {
	it('walks right to left, Standard first and Proposed last, top to bottom in each column', () => {
		const columns = emptyColumns();
		columns.proposed = [card('p1', 'proposed'), card('p2', 'proposed')];
		columns.do = [card('d1', 'do')];
		columns.standard = [card('s1', 'standard')];
		columns.parked = [card('x', 'parked')];
		expect(walkOrder(columns)).toEqual(['s1', 'd1', 'p1', 'p2']);
	});

	it('takes the Proposed column in the order given (sorted by votes)', () => {
		const columns = emptyColumns();
		columns.proposed = [card('p1', 'proposed'), card('p2', 'proposed')];
		expect(walkOrder(columns, [columns.proposed[1]!, columns.proposed[0]!])).toEqual(['p2', 'p1']);
	});
});

describe('step', () => {
	const order = ['a', 'b', 'c'];
	it('moves and stops at both ends', () => {
		expect(step(order, 'a', 1)).toBe('b');
		expect(step(order, 'c', 1)).toBe('c');
		expect(step(order, 'a', -1)).toBe('a');
	});
	it('starts at the first card, or the last when stepping back, when nothing is focused', () => {
		expect(step(order, null, 1)).toBe('a');
		expect(step(order, 'gone', -1)).toBe('c');
		expect(step([], null, 1)).toBeNull();
	});
});

describe('readWalkPosition', () => {
	it('follows the highest seq and ignores malformed presence', () => {
		const states = new Map<number, unknown>([
			[1, { [WALK_FIELD]: { cardId: 'a', seq: 3 } }],
			[2, { [WALK_FIELD]: { cardId: 'b', seq: 5 } }],
			[3, { [WALK_FIELD]: { cardId: 'c', seq: 'x' } }],
			[4, { [WALK_FIELD]: { cardId: '', seq: 9 } }],
			[5, null],
			[6, { user: { id: 'u' } }]
		]);
		expect(readWalkPosition(states)).toEqual({ cardId: 'b', seq: 5, clientId: 2 });
		expect(nextSeq(states)).toBe(6);
	});
	it('breaks a tie by client id, the same on every replica', () => {
		const states = new Map<number, unknown>([
			[9, { [WALK_FIELD]: { cardId: 'a', seq: 2 } }],
			[4, { [WALK_FIELD]: { cardId: 'b', seq: 2 } }]
		]);
		expect(readWalkPosition(states)?.cardId).toBe('a');
	});
	it('is null when nobody walks', () => {
		expect(readWalkPosition(new Map())).toBeNull();
		expect(nextSeq(new Map())).toBe(1);
	});
});

describe('walkDelta', () => {
	it('maps arrows and a presenter clicker', () => {
		expect(walkDelta('PageDown')).toBe(1);
		expect(walkDelta('PageUp')).toBe(-1);
		expect(walkDelta('ArrowRight')).toBe(1);
		expect(walkDelta('ArrowLeft')).toBe(-1);
		expect(walkDelta('a')).toBeNull();
	});
});
