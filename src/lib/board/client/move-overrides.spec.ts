import { describe, expect, it } from 'vitest';
import type { Stage } from '../stages';
import { MoveOverrideWatch, RECENT_MOVE_MS, type CardPlaceNow } from './move-overrides';

function board(places: Record<string, CardPlaceNow>) {
	return (cardId: string) => places[cardId] ?? null;
}

const at = (stage: Stage, movedBy: string): CardPlaceNow => ({ stage, movedBy });

describe('MoveOverrideWatch', () => {
	it('reports, once, a recent move of ours that someone else’s change replaced', () => {
		const watch = new MoveOverrideWatch('admin', () => 0);
		watch.moved('c1', 'parked');
		expect(watch.check(board({ c1: at('parked', 'admin') }))).toEqual([]);
		// Maja's offline move to Plan won the merge.
		expect(watch.check(board({ c1: at('plan', 'maja') }))).toEqual([
			{ cardId: 'c1', stage: 'plan', byUserId: 'maja' }
		]);
		expect(watch.check(board({ c1: at('plan', 'maja') }))).toEqual([]);
	});

	it('stays quiet for our own undo, a server correction, a deleted card and old moves', () => {
		let now = 0;
		const watch = new MoveOverrideWatch('admin', () => now);
		watch.moved('own', 'do');
		watch.moved('server', 'do');
		watch.moved('gone', 'do');
		watch.moved('old', 'do');
		now = 1;
		expect(
			watch.check(
				board({ own: at('plan', 'admin'), server: at('plan', ''), old: at('do', 'admin') })
			)
		).toEqual([]);
		now = RECENT_MOVE_MS + 2;
		expect(watch.check(board({ old: at('plan', 'maja') }))).toEqual([]);
	});
});
