import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { copyCard, parseCardNode, titleOf, writeCard } from './card-copy';
import { cardsMap, createCard } from './document';
import { cycleText, initCardDetail } from './pdca';

describe('card copy', () => {
	it('puts a deleted card back with the same content, texts still shared texts', () => {
		const doc = new Y.Doc();
		const id = createCard(doc, { title: 'Kortare kö', beneficiary: 'Patienter', userId: 'u1' });
		initCardDetail(doc, id, { id: 'u1', name: 'Ulla' });
		cycleText(doc, id, 1, 'why')!.insert(0, 'För att det tar tid');
		const before = cardsMap(doc).get(id)!.toJSON();
		const copy = JSON.parse(JSON.stringify(copyCard(doc, id)));
		cardsMap(doc).delete(id);
		expect(cardsMap(doc).has(id)).toBe(false);

		const parsed = parseCardNode(copy)!;
		expect(titleOf(parsed)).toBe('Kortare kö');
		writeCard(doc, id, parsed);
		expect(cardsMap(doc).get(id)!.toJSON()).toEqual(before);
		expect(cardsMap(doc).get(id)!.get('title')).toBeInstanceOf(Y.Text);
		// Another replica converges on the same content.
		const other = new Y.Doc();
		Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
		expect(cardsMap(other).get(id)!.toJSON()).toEqual(before);
	});

	it('refuses data that is not a card copy, and keeps __proto__ a plain key', () => {
		expect(parseCardNode(null)).toBeNull();
		expect(parseCardNode({ t: 'map', e: [['x', { t: 'nope' }]] })).toBeNull();
		expect(parseCardNode({ t: 'text' })).toBeNull();
		let deep: unknown = { t: 'value', v: 1 };
		for (let i = 0; i < 40; i++) deep = { t: 'array', i: [deep] };
		expect(parseCardNode(deep)).toBeNull();
		const hostile = parseCardNode(
			JSON.parse('{"t":"map","e":[["__proto__",{"t":"value","v":{"polluted":true}}]]}')
		)!;
		const doc = new Y.Doc();
		writeCard(doc, 'c1', hostile);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});
