import { describe, expect, it } from 'vitest';
import { changesOf } from './changes';

const base = {
	id: 'c1',
	createdAt: 100,
	movedAt: 100,
	stage: 'do' as const,
	comments: [],
	inputs: []
};

describe('changesOf', () => {
	it('is null for a card untouched since the last stand-up', () => {
		expect(changesOf(base, 500, [])).toBeNull();
	});

	it('names a new card, its moves, new comments and new input', () => {
		const detail = {
			...base,
			createdAt: 600,
			movedAt: 700,
			comments: [
				{ id: 'a', author: { id: 'u', name: 'U' }, text: 'old', mentions: [], at: 400 },
				{ id: 'b', author: { id: 'u', name: 'U' }, text: 'new', mentions: [], at: 800 }
			],
			inputs: [{ userId: 'u', name: 'U', cycle: 1, kind: 'agree' as const, text: '', at: 900 }]
		};
		const moves = [
			{ cardId: 'c1', from: 'plan' as const, to: 'do' as const },
			{ cardId: 'other', from: 'do' as const, to: 'check' as const }
		];
		expect(changesOf(detail, 500, moves)).toEqual({
			created: true,
			moves: [{ from: 'plan', to: 'do' }],
			comments: 1,
			inputs: 1
		});
	});

	it('counts a move the server has not reported yet from the document', () => {
		expect(changesOf({ ...base, movedAt: 900 }, 500, [])?.moves).toEqual([
			{ from: null, to: 'do' }
		]);
	});
});
