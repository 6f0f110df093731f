import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cardsMap, createCard, readCard } from './document';
import {
	addComment,
	cardDetailText,
	currentCycle,
	cycleText,
	findMentions,
	gateFacts,
	giveInput,
	initCardDetail,
	moveThroughLifecycle,
	parseDate,
	pendingInput,
	putCycleEntry,
	readCardDetail,
	setAffected,
	setCardField,
	setCycleField,
	setVote
} from './pdca';

const alice = { id: 'u-alice', name: 'Alice' };
const bob = { id: 'u-bob', name: 'Bob' };

function newCard() {
	const doc = new Y.Doc();
	const id = createCard(doc, {
		title: 'Breakfast waits',
		beneficiary: 'Residents',
		userId: alice.id
	});
	initCardDetail(doc, id, alice);
	return { doc, id };
}

function sync(a: Y.Doc, b: Y.Doc) {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('card detail', () => {
	it('credits the proposer and starts in cycle 1 with an empty plan', () => {
		const { doc, id } = newCard();
		const detail = readCardDetail(doc, id)!;
		expect(detail.proposer).toEqual(alice);
		expect(detail.cycle).toBe(1);
		expect(currentCycle(detail)).toMatchObject({ number: 1, measure: null, actions: [] });
	});

	it('walks a card through two cycles to a standard, keeping cycle 1 readable', () => {
		const { doc, id } = newCard();
		expect(moveThroughLifecycle(doc, id, { stage: 'plan', index: 0, userId: alice.id })).toEqual({
			ok: false,
			missing: ['problem']
		});
		cardDetailText(doc, id, 'problem')!.insert(0, 'Residents wait 40 minutes');
		expect(moveThroughLifecycle(doc, id, { stage: 'plan', index: 0, userId: alice.id }).ok).toBe(
			true
		);
		const measure = {
			name: 'Wait',
			unit: 'min',
			baseline: 40,
			target: 15,
			better: 'down' as const
		};
		expect(setCycleField(doc, id, 1, { key: 'measure', value: measure })).toBe(true);
		expect(moveThroughLifecycle(doc, id, { stage: 'do', index: 0, userId: alice.id }).ok).toBe(
			true
		);
		expect(moveThroughLifecycle(doc, id, { stage: 'check', index: 0, userId: alice.id }).ok).toBe(
			true
		);
		cycleText(doc, id, 1, 'result')!.insert(0, 'Down to 30');
		expect(moveThroughLifecycle(doc, id, { stage: 'act', index: 0, userId: alice.id }).ok).toBe(
			true
		);
		const decision = {
			kind: 'adapt' as const,
			reasons: 'Not there yet',
			by: alice,
			at: 1,
			decidedAnyway: null,
			inputs: []
		};
		setCycleField(doc, id, 1, { key: 'decision', value: decision });
		expect(moveThroughLifecycle(doc, id, { stage: 'plan', index: 0, userId: alice.id })).toEqual({
			ok: true,
			cycle: 2
		});
		let detail = readCardDetail(doc, id)!;
		expect(detail.cycle).toBe(2);
		expect(detail.cycles.map((c) => c.number)).toEqual([1, 2]);
		expect(detail.cycles[0]!.result).toBe('Down to 30');
		expect(gateFacts(detail)).toMatchObject({ hasGoal: false, result: '', decision: null });
		// A manager passes the goal gate with a recorded reason.
		const overridden = moveThroughLifecycle(doc, id, {
			stage: 'do',
			index: 0,
			userId: alice.id,
			override: 'Same goal as cycle 1'
		});
		expect(overridden.ok).toBe(true);
		detail = readCardDetail(doc, id)!;
		expect(detail.stage).toBe('do');
		expect(cardsMap(doc).get(id)!.get('place')).toMatchObject({ override: 'Same goal as cycle 1' });
	});

	it('asks the people affected for input once per cycle and lists who has not answered', () => {
		const { doc, id } = newCard();
		setAffected(doc, id, alice, true);
		setAffected(doc, id, bob, true);
		giveInput(doc, id, {
			userId: bob.id,
			name: bob.name,
			cycle: 1,
			kind: 'concerns',
			text: 'Night staff?',
			at: 5
		});
		giveInput(doc, id, {
			userId: bob.id,
			name: bob.name,
			cycle: 1,
			kind: 'agree',
			text: 'Fine now',
			at: 6
		});
		const detail = readCardDetail(doc, id)!;
		expect(detail.inputs).toHaveLength(1);
		expect(detail.inputs[0]).toMatchObject({ kind: 'agree', userId: bob.id });
		expect(pendingInput(detail)).toEqual([alice]);
	});

	it('keeps one vote per person and merges concurrent list additions', () => {
		const { doc, id } = newCard();
		const other = new Y.Doc();
		sync(doc, other);
		setVote(doc, id, alice.id, true);
		setVote(other, id, alice.id, true);
		setVote(other, id, bob.id, true);
		putCycleEntry(doc, id, 1, 'measurements', 'm1', { date: '2026-11-01', value: 30, at: 1 });
		putCycleEntry(other, id, 1, 'measurements', 'm2', { date: '2026-11-02', value: 25, at: 2 });
		sync(doc, other);
		const detail = readCardDetail(doc, id)!;
		expect(detail.votes.sort()).toEqual([alice.id, bob.id].sort());
		expect(currentCycle(detail).measurements.map((m) => m.value)).toEqual([30, 25]);
	});

	it('refuses malformed dates and numbers and stores nothing', () => {
		const { doc, id } = newCard();
		expect(setCardField(doc, id, { key: 'followUp', value: '2026-02-30' })).toBe(false);
		expect(
			putCycleEntry(doc, id, 1, 'measurements', 'x', { date: 'yesterday', value: 3, at: 0 })
		).toBe(false);
		expect(
			putCycleEntry(doc, id, 1, 'measurements', 'y', {
				date: '2026-01-01',
				value: Number.NaN,
				at: 0
			})
		).toBe(false);
		expect(
			setCycleField(doc, id, 1, {
				key: 'decision',
				value: { kind: 'adopt', reasons: ' ', by: alice, at: 0, decidedAnyway: null, inputs: [] }
			})
		).toBe(false);
		const detail = readCardDetail(doc, id)!;
		expect(detail.followUp).toBeNull();
		expect(currentCycle(detail).measurements).toEqual([]);
		expect(currentCycle(detail).decision).toBeNull();
	});

	it('finds @mentions among known people and stores comments', () => {
		const { doc, id } = newCard();
		const mentions = findMentions('Can @bob check with the night shift?', [alice, bob]);
		expect(mentions).toEqual([bob.id]);
		expect(
			addComment(doc, id, { id: 'c1', author: alice, text: 'Can @bob check?', mentions, at: 1 })
		).toBe(true);
		expect(addComment(doc, id, { id: 'c2', author: alice, text: '   ', mentions: [], at: 2 })).toBe(
			false
		);
		expect(readCardDetail(doc, id)!.comments).toHaveLength(1);
	});

	it('reads a card written without any PDCA fields', () => {
		const doc = new Y.Doc();
		const id = createCard(doc, { title: 'Old card', userId: 'u' });
		cardsMap(doc).get(id)!.set('cycles', 'garbage');
		const detail = readCardDetail(doc, id)!;
		expect(detail).toMatchObject({ problem: '', proposer: null, cycles: [], affected: [] });
		expect(readCard(id, cardsMap(doc).get(id))?.title).toBe('Old card');
	});

	it('validates calendar dates', () => {
		expect(parseDate('2026-11-27')).toBe('2026-11-27');
		expect(parseDate('2026-13-01')).toBeNull();
		expect(parseDate(20261127)).toBeNull();
	});
});
