import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCard, deleteCard, moveCard } from '../../board/document';
import { CardProjector } from './projector';
import type { RecordedStage } from './stage-events';

const NOW = 1_800_000_000_000;

describe('CardProjector', () => {
	it('projects only the cards marked changed, with deletions and the recorded stage time', async () => {
		const doc = new Y.Doc();
		const kept = createCard(doc, { title: 'Kvar', userId: 'u', now: NOW - 10 });
		const untouched = createCard(doc, { title: 'Orörd', userId: 'u', now: NOW - 10 });
		const gone = createCard(doc, { title: 'Borta', userId: 'u', now: NOW - 10 });
		deleteCard(doc, gone);
		const recorded = new Map<string, RecordedStage>([
			[kept, { stage: 'proposed', at: NOW - 5, cycle: 1 }]
		]);
		const projector = new CardProjector(doc, recorded, () => NOW);
		projector.markChanged([kept, gone]);
		const changes = await projector.take();
		expect(changes.upserts.map((row) => [row.id, row.title, row.stage_entered_at])).toEqual([
			[kept, 'Kvar', NOW - 5]
		]);
		expect(changes.deletedCardIds).toEqual([gone]);
		expect(changes.upserts.some((row) => row.id === untouched)).toBe(false);
		// Taken once: nothing is left until something changes again.
		expect((await projector.take()).cardIds).toEqual([]);
	});

	it('yields between slices of a large batch, and a card changed meanwhile is taken again', async () => {
		const doc = new Y.Doc();
		const ids = Array.from({ length: 450 }, (_, n) =>
			createCard(doc, { title: `Kort ${n}`, userId: 'u', now: NOW })
		);
		const projector = new CardProjector(doc, new Map(), () => NOW);
		projector.markChanged(ids);
		const taking = projector.take();
		// The first slice ran synchronously; this runs in a yield between slices.
		let ranBetweenSlices = false;
		setImmediate(() => {
			ranBetweenSlices = true;
			moveCard(doc, ids[0]!, { stage: 'plan', index: 0, userId: 'u', now: NOW + 1 });
			projector.markChanged([ids[0]!]);
		});
		const changes = await taking;
		expect(ranBetweenSlices).toBe(true);
		expect(changes.upserts).toHaveLength(450);
		// The card moved after its slice was projected: the next take carries its new stage.
		const next = await projector.take();
		expect(next.upserts.map((row) => [row.id, row.stage])).toEqual([[ids[0], 'plan']]);
	});

	it('takes a failed commit’s cards again', async () => {
		const doc = new Y.Doc();
		const id = createCard(doc, { title: 'Kort', userId: 'u', now: NOW });
		const projector = new CardProjector(doc, new Map(), () => NOW);
		projector.markChanged([id]);
		projector.restore(await projector.take());
		expect((await projector.take()).upserts.map((row) => row.id)).toEqual([id]);
	});
});
