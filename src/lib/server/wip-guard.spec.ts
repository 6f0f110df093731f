import { describe, expect, it } from 'vitest';
import { judgeHardLimit } from './wip-guard';

const inDo = (id: string) => ({ id, recordedStage: 'do' });
const arriving = (id: string) => ({ id, recordedStage: 'plan' });
const hard = { limit: 3, hard: true };

describe('judgeHardLimit', () => {
	it('undoes a move into a column the server already has full (the offline move that came late)', () => {
		expect(
			judgeHardLimit({
				cardId: 'late',
				recorded: { stage: 'plan', cycle: 1 },
				to: 'do',
				limit: hard,
				column: () => [inDo('a'), inDo('b'), inDo('first'), arriving('late')]
			})
		).toEqual({
			kind: 'refuse',
			reason: 'hard_limit',
			missing: [],
			stage: 'plan',
			cycle: 1,
			limit: 3
		});
	});

	it('lets a move in while there is room, counting only cards the server has recorded there', () => {
		// Two cards arrive in one update (a long offline session): neither is in the column yet
		// for the server, so the first judged fills the last place.
		expect(
			judgeHardLimit({
				cardId: 'x',
				recorded: { stage: 'plan', cycle: 1 },
				to: 'do',
				limit: hard,
				column: () => [inDo('a'), inDo('b'), arriving('x'), arriving('y')]
			})
		).toBeNull();
		// Once the server recorded x in Do, y finds the column full.
		expect(
			judgeHardLimit({
				cardId: 'y',
				recorded: { stage: 'plan', cycle: 1 },
				to: 'do',
				limit: hard,
				column: () => [inDo('a'), inDo('b'), inDo('x'), arriving('y')]
			})
		).toMatchObject({ kind: 'refuse', stage: 'plan', limit: 3 });
	});

	it('never undoes soft limits, moves within the column, or new cards', () => {
		const full = [inDo('a'), inDo('b'), inDo('c'), arriving('d')];
		const base = { cardId: 'd', recorded: { stage: 'plan', cycle: 1 }, to: 'do' as const };
		expect(
			judgeHardLimit({ ...base, limit: { limit: 3, hard: false }, column: () => full })
		).toBeNull();
		expect(judgeHardLimit({ ...base, limit: undefined, column: () => full })).toBeNull();
		expect(
			judgeHardLimit({
				...base,
				cardId: 'a',
				recorded: { stage: 'do', cycle: 1 },
				limit: hard,
				column: () => full
			})
		).toBeNull();
		expect(
			judgeHardLimit({ ...base, recorded: undefined, limit: hard, column: () => full })
		).toBeNull();
	});
});
