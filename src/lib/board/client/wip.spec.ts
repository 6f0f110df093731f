import { describe, expect, it } from 'vitest';
import { emptyColumns } from './card-views';
import { checkWipForMove, wipLevel } from './wip';
import type { CardView } from '../document';

const card = (id: string) => ({ id }) as CardView;

describe('WIP limits', () => {
	it('grades a column against its limit', () => {
		expect(wipLevel(3, undefined)).toBe('none');
		expect(wipLevel(2, { limit: 3, hard: false })).toBe('under');
		expect(wipLevel(3, { limit: 3, hard: false })).toBe('at');
		expect(wipLevel(4, { limit: 3, hard: true })).toBe('over');
	});

	it('refuses a move into a full column only when the limit is hard', () => {
		const columns = emptyColumns();
		columns.do = [card('a'), card('b')];
		columns.plan = [card('c')];
		expect(checkWipForMove(columns, { do: { limit: 2, hard: false } }, 'c', 'do')).toEqual({
			ok: true
		});
		expect(checkWipForMove(columns, { do: { limit: 2, hard: true } }, 'c', 'do')).toEqual({
			ok: false,
			reason: 'hard-limit',
			limit: 2
		});
		// Reordering inside the full column is still allowed.
		expect(checkWipForMove(columns, { do: { limit: 2, hard: true } }, 'a', 'do')).toEqual({
			ok: true
		});
		expect(checkWipForMove(columns, { do: { limit: 3, hard: true } }, 'c', 'do')).toEqual({
			ok: true
		});
	});
});
