import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	cardsMap,
	createCard,
	moveCard,
	readCards,
	readColumns,
	readWipLimits,
	setWipLimit
} from './document';

function sync(a: Y.Doc, b: Y.Doc) {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('board document', () => {
	it('creates cards at the end of their column in order', () => {
		const doc = new Y.Doc();
		const a = createCard(doc, { title: 'First', userId: 'u1' });
		const b = createCard(doc, { title: 'Second', userId: 'u1' });
		const c = createCard(doc, { title: 'Between', userId: 'u1', index: 1 });
		expect(readColumns(doc).proposed.map((x) => x.id)).toEqual([a, c, b]);
	});

	it('moves a card between columns and within a column', () => {
		const doc = new Y.Doc();
		const a = createCard(doc, { title: 'A', userId: 'u1' });
		const b = createCard(doc, { title: 'B', userId: 'u1' });
		expect(moveCard(doc, a, { stage: 'plan', index: 0, userId: 'u1' })).toBe(true);
		expect(readColumns(doc).plan.map((x) => x.id)).toEqual([a]);
		moveCard(doc, b, { stage: 'plan', index: 0, userId: 'u1' });
		expect(readColumns(doc).plan.map((x) => x.id)).toEqual([b, a]);
		expect(moveCard(doc, 'missing', { stage: 'do', index: 0, userId: 'u1' })).toBe(false);
	});

	it('keeps exactly one card when two replicas move it concurrently, with stage and rank from the same move', () => {
		const left = new Y.Doc();
		const right = new Y.Doc();
		const id = createCard(left, { title: 'Contested', userId: 'u1' });
		createCard(left, { title: 'Other', userId: 'u1', stage: 'do' });
		sync(left, right);
		moveCard(left, id, { stage: 'plan', index: 0, userId: 'u1' });
		moveCard(right, id, { stage: 'do', index: 0, userId: 'u2' });
		sync(left, right);
		const leftCards = readCards(left);
		expect(leftCards.filter((c) => c.id === id)).toHaveLength(1);
		expect(readCards(right)).toEqual(leftCards);
		const moved = leftCards.find((c) => c.id === id)!;
		// The winner's stage comes with the winner's mover.
		expect(moved.stage === 'plan' ? 'u1' : 'u2').toBe(moved.movedBy);
	});

	it('renders malformed and unknown fields without throwing', () => {
		const doc = new Y.Doc();
		const cards = cardsMap(doc);
		const broken = new Y.Map<unknown>();
		broken.set('title', 42);
		broken.set('place', { stage: 'nowhere', rank: '', movedAt: 'yesterday' });
		broken.set('cycle', -3);
		broken.set('surprise', { nested: true });
		cards.set('broken', broken);
		cards.set('not-a-card', 'just a string' as unknown as Y.Map<unknown>);
		const [card, ...rest] = readCards(doc);
		expect(rest).toHaveLength(0);
		expect(card).toMatchObject({
			id: 'broken',
			title: '',
			stage: 'proposed',
			cycle: 1,
			movedAt: 0
		});
	});

	it('validates WIP limits on read', () => {
		const doc = new Y.Doc();
		setWipLimit(doc, 'do', { limit: 3, hard: true });
		doc.getMap('settings').set('wip', {
			...(doc.getMap('settings').get('wip') as object),
			plan: { limit: -1 },
			bogus: { limit: 2 }
		});
		expect(readWipLimits(doc)).toEqual({ do: { limit: 3, hard: true } });
	});
});
