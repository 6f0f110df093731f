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
	readCardSummary,
	setAdoptedFrom,
	setStandardFields,
	setSupport,
	standardText,
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

	it('does not leave Act over the heads of people who have not answered, unless decided anyway', () => {
		const { doc, id } = newCard();
		setAffected(doc, id, bob, true);
		cardsMap(doc)
			.get(id)!
			.set('place', { stage: 'act', rank: 'a0', movedAt: 1, movedBy: alice.id });
		const decision = {
			kind: 'adopt' as const,
			reasons: 'Waits halved',
			by: alice,
			at: 1,
			decidedAnyway: null,
			inputs: []
		};
		setCycleField(doc, id, 1, { key: 'decision', value: decision });
		expect(
			moveThroughLifecycle(doc, id, { stage: 'standard', index: 0, userId: alice.id })
		).toEqual({
			ok: false,
			missing: ['inputs_pending', 'standard_text', 'standard_owner', 'standard_review']
		});
		standardText(doc, id)!.insert(0, 'Breakfast in two sittings');
		setStandardFields(doc, id, { owner: alice, reviewDate: '2027-06-01' });
		expect(gateFacts(readCardDetail(doc, id)!).standard).toEqual({
			text: 'Breakfast in two sittings',
			hasOwner: true,
			reviewDate: '2027-06-01'
		});
		expect(
			moveThroughLifecycle(doc, id, { stage: 'standard', index: 0, userId: alice.id })
		).toEqual({ ok: false, missing: ['inputs_pending'] });
		setCycleField(doc, id, 1, {
			key: 'decision',
			value: { ...decision, decidedAnyway: 'Bob is on leave until May' }
		});
		expect(
			moveThroughLifecycle(doc, id, { stage: 'standard', index: 0, userId: alice.id }).ok
		).toBe(true);
	});

	it('counts a decision written without reasons (by a modified client) as no decision', () => {
		const { doc, id } = newCard();
		doc.transact(() => {
			const cycles = cardsMap(doc).get(id)!.get('cycles') as Y.Map<Y.Map<unknown>>;
			cycles.get('1')!.set('decision', {
				kind: 'adopt',
				reasons: '  ',
				by: alice,
				at: 1,
				decidedAnyway: null,
				inputs: []
			});
		});
		expect(gateFacts(readCardDetail(doc, id)!).decision).toBeNull();
		expect(readCardSummary(doc, id)!.decision).toBeNull();
	});

	it('summarises what the projection needs, with pending input of the current cycle only', () => {
		const { doc, id } = newCard();
		setAffected(doc, id, alice, true);
		setAffected(doc, id, bob, true);
		giveInput(doc, id, {
			userId: bob.id,
			name: bob.name,
			cycle: 1,
			kind: 'agree',
			text: '',
			at: 1
		});
		setCardField(doc, id, { key: 'owner', value: bob });
		setCardField(doc, id, { key: 'followUp', value: '2026-12-01' });
		setCardField(doc, id, { key: 'labels', value: ['quality', 'safety'] });
		setSupport(doc, id, {
			what: 'A night nurse',
			fromWhom: 'Ward 3',
			raisedBy: alice,
			raisedAt: 1,
			resolvedAt: null
		});
		setStandardFields(doc, id, {
			effectiveDate: '2027-01-01',
			reviewDate: '2027-06-01',
			owner: bob
		});
		standardText(doc, id)!.insert(0, 'Breakfast from 7:30');
		setAdoptedFrom(doc, id, {
			boardId: 'b1',
			cardId: 'c1',
			teamName: 'Team 1',
			title: 'Breakfast'
		});
		expect(readCardSummary(doc, id)).toEqual({
			proposer: alice,
			owner: bob,
			followUp: '2026-12-01',
			due: null,
			decision: null,
			labels: ['quality', 'safety'],
			affectedIds: [alice.id, bob.id].sort(),
			pendingInputIds: [alice.id],
			support: { what: 'A night nurse', fromWhom: 'Ward 3', raisedById: alice.id, open: true },
			endReason: '',
			standard: {
				text: 'Breakfast from 7:30',
				effectiveDate: '2027-01-01',
				reviewDate: '2027-06-01',
				owner: bob
			},
			adoptedFrom: { boardId: 'b1', cardId: 'c1' }
		});
		expect(readCardDetail(doc, id)!.adoptedFrom).toEqual({
			boardId: 'b1',
			cardId: 'c1',
			teamName: 'Team 1',
			title: 'Breakfast'
		});
		// Bob's answer belongs to cycle 1: in cycle 2 both are asked again.
		cardsMap(doc).get(id)!.set('cycle', 2);
		expect(readCardSummary(doc, id)!.pendingInputIds).toEqual([alice.id, bob.id].sort());
	});
});
