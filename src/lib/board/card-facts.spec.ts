import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readCardFacts, sameFacts } from './card-facts';
import { cardsMap, createCard } from './document';
import {
	giveInput,
	initCardDetail,
	moveThroughLifecycle,
	setAffected,
	setCardField,
	setCycleField,
	addComment,
	putCycleEntry,
	setSupport,
	setVote
} from './pdca';

const alice = { id: 'u-alice', name: 'Alice' };
const bob = { id: 'u-bob', name: 'Bob' };

describe('readCardFacts', () => {
	it('reads what a card face and the filters need', () => {
		const doc = new Y.Doc();
		const id = createCard(doc, {
			title: 'Quiet nights',
			beneficiary: ' Residents ',
			userId: alice.id
		});
		initCardDetail(doc, id, alice);
		setCardField(doc, id, { key: 'owner', value: bob });
		setCardField(doc, id, { key: 'labels', value: ['safety'] });
		setCardField(doc, id, { key: 'followUp', value: '2026-11-20' });
		setVote(doc, id, alice.id, true);
		setVote(doc, id, bob.id, true);
		setVote(doc, id, bob.id, true);
		setAffected(doc, id, alice, true);
		setAffected(doc, id, bob, true);
		giveInput(doc, id, { ...alice, userId: alice.id, cycle: 1, kind: 'agree', text: '', at: 1 });
		setSupport(doc, id, {
			what: 'A night nurse for a week',
			fromWhom: 'The unit manager',
			raisedBy: alice,
			raisedAt: 1,
			resolvedAt: null
		});
		setCardField(doc, id, { key: 'due', value: '2026-12-24' });
		const action = { owner: '', due: null, at: 1 };
		putCycleEntry(doc, id, 1, 'actions', 'a1', { ...action, text: 'Buy a box', done: true });
		putCycleEntry(doc, id, 1, 'actions', 'a2', { ...action, text: 'Tell staff', done: false });
		putCycleEntry(doc, id, 1, 'actions', 'a3', { ...action, text: 'Label keys', done: true });
		addComment(doc, id, { id: 'c1', author: bob, text: 'Good idea', mentions: [], at: 2 });
		expect(readCardFacts(doc, id)).toEqual({
			beneficiary: 'Residents',
			ownerId: bob.id,
			ownerName: bob.name,
			labels: ['safety'],
			followUp: '2026-11-20',
			due: '2026-12-24',
			actionsTotal: 3,
			actionsDone: 2,
			comments: 1,
			cycle: 1,
			needsSupport: true,
			pendingInputIds: [bob.id],
			votes: 2
		});
	});

	it('follows the cycle after an adapt decision, and a resolved support request is no longer open', () => {
		const doc = new Y.Doc();
		const id = createCard(doc, { title: 'Card', beneficiary: 'Pupils', userId: alice.id });
		initCardDetail(doc, id, alice);
		cardsMap(doc).get(id)!.set('place', { stage: 'act', rank: 'a0', movedAt: 1, movedBy: '' });
		setCycleField(doc, id, 1, {
			key: 'decision',
			value: {
				kind: 'adapt',
				reasons: 'Try mornings',
				by: alice,
				at: 1,
				decidedAnyway: null,
				inputs: []
			}
		});
		expect(moveThroughLifecycle(doc, id, { stage: 'plan', index: 0, userId: alice.id })).toEqual({
			ok: true,
			cycle: 2
		});
		setSupport(doc, id, {
			what: 'Time',
			fromWhom: '',
			raisedBy: alice,
			raisedAt: 1,
			resolvedAt: 2
		});
		expect(readCardFacts(doc, id)).toMatchObject({ cycle: 2, needsSupport: false, votes: 0 });
	});

	it('survives malformed fields and answers null for a missing card', () => {
		const doc = new Y.Doc();
		const id = createCard(doc, { title: 'Card', userId: alice.id });
		const card = cardsMap(doc).get(id)!;
		card.set('votes', 'many');
		card.set('labels', 'safety');
		card.set('beneficiary', 42);
		expect(readCardFacts(doc, id)).toMatchObject({ beneficiary: '', labels: [], votes: 0 });
		expect(readCardFacts(doc, 'nope')).toBeNull();
	});
});

describe('sameFacts', () => {
	it('compares every field, lists included', () => {
		const doc = new Y.Doc();
		const id = createCard(doc, { title: 'Card', userId: alice.id });
		const before = readCardFacts(doc, id)!;
		expect(sameFacts(before, readCardFacts(doc, id)!)).toBe(true);
		setCardField(doc, id, { key: 'labels', value: ['cost'] });
		expect(sameFacts(before, readCardFacts(doc, id)!)).toBe(false);
	});
});
