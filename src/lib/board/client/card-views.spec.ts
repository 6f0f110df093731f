import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCard, moveCard, readColumns, cardText } from '../document';
import { findCard, reuseUnchanged } from './card-views';

describe('reuseUnchanged', () => {
	it('keeps the objects of untouched cards and columns so the UI skips them', () => {
		const doc = new Y.Doc();
		const a = createCard(doc, { title: 'A', userId: 'u' });
		const b = createCard(doc, { title: 'B', userId: 'u' });
		createCard(doc, { title: 'C', userId: 'u', stage: 'plan' });
		const first = readColumns(doc);
		cardText(doc, a, 'title')!.insert(1, '!');
		const second = reuseUnchanged(first, readColumns(doc));
		expect(second.plan).toBe(first.plan);
		expect(second.proposed).not.toBe(first.proposed);
		expect(findCard(second, b)!.card).toBe(findCard(first, b)!.card);
		expect(findCard(second, a)!.card.title).toBe('A!');

		moveCard(doc, b, { stage: 'plan', index: 0, userId: 'u' });
		const third = reuseUnchanged(second, readColumns(doc));
		expect(third.plan.map((c) => c.id)[0]).toBe(b);
		expect(findCard(third, a)!.card).toBe(findCard(second, a)!.card);
		expect(findCard(third, 'nope')).toBeNull();
	});
});
