import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cardsMap, createCard } from '../../src/lib/board/document';
import { CloseReasons } from './close-reasons';
import { DocumentBounds, inspectUpdate, isIntegrated } from './update-gate';

function updateOf(doc: Y.Doc, change: () => void): Uint8Array {
	const updates: Uint8Array[] = [];
	const listener = (update: Uint8Array) => updates.push(update);
	doc.on('update', listener);
	change();
	doc.off('update', listener);
	return Y.mergeUpdates(updates);
}

describe('inspectUpdate', () => {
	it('names the roots and new card keys an update writes, without applying it', () => {
		const doc = new Y.Doc();
		const update = updateOf(doc, () => {
			createCard(doc, { id: 'c1', title: 'Ett', userId: 'u' });
			doc.getText('padding').insert(0, 'x');
		});
		const inspected = inspectUpdate(update)!;
		expect([...inspected.roots].sort()).toEqual(['cards', 'padding']);
		expect([...inspected.cardKeys]).toEqual(['c1']);
	});

	it('is null for bytes Yjs cannot decode', () => {
		expect(inspectUpdate(new Uint8Array([9, 200, 1]))).toBeNull();
	});

	it('says an update with missing history is not integrated until the history arrives', () => {
		const source = new Y.Doc();
		const history = updateOf(source, () => cardsMap(source).set('x', new Y.Map()));
		const dangling = updateOf(source, () => cardsMap(source).delete('x'));
		const server = new Y.Doc();
		const needs = inspectUpdate(dangling)!.needs;
		Y.applyUpdate(server, dangling);
		expect(isIntegrated(server, needs)).toBe(false);
		Y.applyUpdate(server, history);
		expect(isIntegrated(server, needs)).toBe(true);
		expect(cardsMap(server).has('x')).toBe(false);
	});
});

describe('DocumentBounds', () => {
	it('refuses unknown roots, bad card ids, too many cards and too many bytes', () => {
		const server = new Y.Doc();
		const bounds = new DocumentBounds(server, { maxCards: 2, maxDocumentBytes: 2_000 });
		const client = new Y.Doc();
		const admit = (change: (doc: Y.Doc) => void, doc = new Y.Doc()) => {
			const update = updateOf(doc, () => change(doc));
			return bounds.admit(inspectUpdate(update)!, update.byteLength);
		};
		expect(admit((doc) => doc.getMap('other').set('a', 1))).toBe(CloseReasons.unknownRoot);
		expect(admit((doc) => createCard(doc, { id: 'k'.repeat(200), title: 't', userId: 'u' }))).toBe(
			CloseReasons.invalidCardId
		);
		const two = updateOf(client, () => {
			createCard(client, { id: 'a', title: 't', userId: 'u' });
			createCard(client, { id: 'b', title: 't', userId: 'u' });
		});
		expect(bounds.admit(inspectUpdate(two)!, two.byteLength)).toBeNull();
		Y.applyUpdate(server, two);
		bounds.applied(two.byteLength);
		expect(admit((doc) => createCard(doc, { id: 'c', title: 't', userId: 'u' }), client)).toBe(
			CloseReasons.tooManyCards
		);
		expect(admit((doc) => cardsMap(doc).get('a')!.set('note', 'x'.repeat(3_000)), client)).toBe(
			CloseReasons.boardTooLarge
		);
	});
});
