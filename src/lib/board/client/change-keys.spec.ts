import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cardText, createCard, moveCard, setWipLimit } from '../document';
import { cardDetailText, initCardDetail, putCycleEntry, setCardField } from '../pdca';
import { changeKeys } from './change-keys';
import { PendingChanges } from './pending-changes';

const alice = { id: 'u-alice', name: 'Alice' };

/** Records the keys of every transaction, as the board's unsaved counter does. */
function recorder(doc: Y.Doc) {
	const pending = new PendingChanges();
	doc.on('afterTransaction', (transaction: Y.Transaction) => {
		const keys = changeKeys(doc, transaction);
		if (keys.length > 0) pending.recordLocalUpdate(null, keys);
	});
	return pending;
}

describe('changeKeys', () => {
	it('counts four things a person did, not their keystrokes', () => {
		const doc = new Y.Doc();
		const id = createCard(doc, { title: 'Kaffe', userId: alice.id });
		initCardDetail(doc, id, alice);
		const pending = recorder(doc);
		const title = cardText(doc, id, 'title')!;
		for (const letter of ' till alla') title.insert(title.length, letter); // 10 keystrokes
		const problem = cardDetailText(doc, id, 'problem')!;
		for (const letter of 'Slut kl 9') problem.insert(problem.length, letter);
		setCardField(doc, id, { key: 'due', value: '2026-12-24' });
		setCardField(doc, id, { key: 'due', value: '2026-12-23' });
		putCycleEntry(doc, id, 1, 'actions', 'a1', {
			text: 'Köp termos',
			owner: '',
			due: null,
			done: false,
			at: 1
		});
		expect(pending.count).toBe(4);
	});

	it('counts a new card once, with all it was created with, and a move as one change', () => {
		const doc = new Y.Doc();
		const pending = recorder(doc);
		const id = doc.transact(() => {
			const created = createCard(doc, { title: 'Ny', userId: alice.id });
			initCardDetail(doc, created, alice);
			return created;
		});
		expect(pending.count).toBe(1);
		moveCard(doc, id, { stage: 'plan', index: 0, userId: alice.id });
		moveCard(doc, id, { stage: 'do', index: 0, userId: alice.id });
		expect(pending.count).toBe(2);
		setWipLimit(doc, 'do', { limit: 3, hard: true });
		expect(pending.count).toBe(3);
	});

	it('says nothing about types outside the board', () => {
		const doc = new Y.Doc();
		const pending = recorder(doc);
		doc.getMap('elsewhere').set('x', 1);
		expect(pending.count).toBe(0);
	});
});
