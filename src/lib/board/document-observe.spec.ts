import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	cardText,
	createCard,
	deleteCard,
	moveCard,
	observeCardChanges,
	readCardMove
} from './document';

describe('observeCardChanges', () => {
	it('reports the ids of cards added, changed in any field, or removed, per transaction', () => {
		const doc = new Y.Doc();
		const seen: string[][] = [];
		const stop = observeCardChanges(doc, (ids) => seen.push([...ids].sort()));
		const a = createCard(doc, { title: 'A', userId: 'u' });
		const b = createCard(doc, { title: 'B', userId: 'u' });
		moveCard(doc, a, { stage: 'plan', index: 0, userId: 'u' });
		cardText(doc, b, 'title')!.insert(0, 'Ny ');
		doc.transact(() => {
			moveCard(doc, a, { stage: 'do', index: 0, userId: 'u' });
			deleteCard(doc, b);
		});
		stop();
		moveCard(doc, a, { stage: 'check', index: 0, userId: 'u' });
		expect(seen).toEqual([[a], [b], [a], [b], [a, b].sort()]);
	});
});

describe('readCardMove', () => {
	it('reads place and cycle, validated, without the texts', () => {
		const doc = new Y.Doc();
		const id = createCard(doc, { title: 'A', userId: 'u1', now: 1_000 });
		moveCard(doc, id, { stage: 'plan', index: 0, userId: 'u2', now: 2_000 });
		expect(readCardMove(doc, id)).toEqual({
			stage: 'plan',
			movedAt: 2_000,
			movedBy: 'u2',
			cycle: 1
		});
		expect(readCardMove(doc, 'missing')).toBeNull();
	});
});
