import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cardsMap, createCard } from '../board/document';
import {
	cardDetailText,
	cycleText,
	initCardDetail,
	readCardDetail,
	setAffected,
	setCycleField,
	setStandardFields,
	standardText,
	type ActDecision
} from '../board/pdca';
import type { Stage } from '../board/stages';
import { judgeStageChange, placeToRestore } from './lifecycle-guard';

const alice = { id: 'u-alice', name: 'Alice' };

/** A card whose document now says `stage` (and `cycle`), with a problem and beneficiary. */
function cardAt(stage: Stage, options: { cycle?: number; goal?: boolean } = {}) {
	const doc = new Y.Doc();
	const id = createCard(doc, { title: 'Frukost', beneficiary: 'Boende', userId: alice.id });
	initCardDetail(doc, id, alice);
	cardDetailText(doc, id, 'problem')!.insert(0, 'Sen frukost');
	if (options.goal) {
		setCycleField(doc, id, 1, { key: 'dialogue', value: { question: 'Bättre?', withWhom: '' } });
	}
	const card = cardsMap(doc).get(id)!;
	card.set('place', { stage, rank: 'a0', movedAt: 1, movedBy: alice.id });
	if (options.cycle) card.set('cycle', options.cycle);
	return { doc, id, detail: () => readCardDetail(doc, id)! };
}

const decision = (kind: ActDecision['kind']): ActDecision => ({
	kind,
	reasons: 'Så blev det',
	by: alice,
	at: 1,
	decidedAnyway: null,
	inputs: []
});

describe('judgeStageChange', () => {
	it('accepts a move whose gate is met, in the recorded cycle', () => {
		const { detail } = cardAt('do', { goal: true });
		expect(
			judgeStageChange({
				to: detail().stage,
				detail,
				recorded: { stage: 'plan', cycle: 1 },
				override: undefined,
				senderRole: 'member'
			})
		).toEqual({ kind: 'accept', cycle: 1, overrideReason: null });
	});

	it('refuses a member’s move past a gate, with or without a reason, back to the recorded stage', () => {
		const { detail } = cardAt('do');
		const judge = (override: string | undefined) =>
			judgeStageChange({
				to: detail().stage,
				detail,
				recorded: { stage: 'plan', cycle: 1 },
				override,
				senderRole: 'member'
			});
		expect(judge(undefined)).toEqual({
			kind: 'refuse',
			missing: ['goal'],
			reason: 'missing',
			stage: 'plan',
			cycle: 1
		});
		expect(judge('Lita på mig')).toMatchObject({ kind: 'refuse', reason: 'not_allowed' });
		expect(judge('   ')).toMatchObject({ kind: 'refuse', reason: 'missing' });
	});

	it('lets a manager pass a gate with a reason, which the event records', () => {
		const { detail } = cardAt('do');
		for (const role of ['manager', 'admin'] as const) {
			expect(
				judgeStageChange({
					to: detail().stage,
					detail,
					recorded: { stage: 'proposed', cycle: 1 },
					override: ' Samma mål som i fjol ',
					senderRole: role
				})
			).toEqual({ kind: 'accept', cycle: 1, overrideReason: 'Samma mål som i fjol' });
		}
	});

	it('judges an adapt by the cycle that ends, though the update already claims the next', () => {
		const { doc, id, detail } = cardAt('plan', { cycle: 2 });
		setCycleField(doc, id, 1, { key: 'decision', value: decision('adapt') });
		cycleText(doc, id, 1, 'result')!.insert(0, 'Halvvägs');
		expect(
			judgeStageChange({
				to: detail().stage,
				detail,
				recorded: { stage: 'act', cycle: 1 },
				override: undefined,
				senderRole: 'member'
			})
		).toEqual({ kind: 'accept', cycle: 2, overrideReason: null });
	});

	it('keeps unanswered input in the gate out of Act', () => {
		const { doc, id, detail } = cardAt('standard');
		setAffected(doc, id, { id: 'u-bob', name: 'Bob' }, true);
		setCycleField(doc, id, 1, { key: 'decision', value: decision('adopt') });
		// The standard itself is written (its own gate), so only the missing input counts.
		standardText(doc, id)!.insert(0, 'Frukost i två omgångar');
		setStandardFields(doc, id, { owner: alice, reviewDate: '2027-06-01' });
		expect(
			judgeStageChange({
				to: detail().stage,
				detail,
				recorded: { stage: 'act', cycle: 1 },
				override: undefined,
				senderRole: 'admin'
			})
		).toMatchObject({ kind: 'refuse', missing: ['inputs_pending'], stage: 'act' });
	});

	it('treats a new card as coming from Proposed, and trusts the server itself', () => {
		const { detail } = cardAt('do');
		const judge = (senderRole: 'member' | null) =>
			judgeStageChange({
				to: detail().stage,
				detail,
				recorded: undefined,
				override: undefined,
				senderRole
			});
		expect(judge('member')).toMatchObject({ kind: 'refuse', stage: 'proposed', cycle: 1 });
		expect(judge(null)).toEqual({ kind: 'accept', cycle: 1, overrideReason: null });
	});
});

describe('placeToRestore', () => {
	const end = () => 'z0';
	it('puts the card back exactly where it was when that was in the recorded stage', () => {
		const before = { stage: 'plan' as const, rank: 'a3', movedAt: 5, movedBy: 'u', override: 'x' };
		expect(placeToRestore({ before, stage: 'plan', endOfColumnRank: end, now: 9 })).toEqual({
			stage: 'plan',
			rank: 'a3',
			movedAt: 5,
			movedBy: 'u'
		});
	});

	it('otherwise at the end of the recorded stage’s column', () => {
		const before = { stage: 'do' as const, rank: 'a3', movedAt: 5, movedBy: 'u' };
		expect(placeToRestore({ before, stage: 'plan', endOfColumnRank: end, now: 9 })).toEqual({
			stage: 'plan',
			rank: 'z0',
			movedAt: 9,
			movedBy: ''
		});
		expect(
			placeToRestore({ before: null, stage: 'proposed', endOfColumnRank: end, now: 9 }).rank
		).toBe('z0');
	});
});
