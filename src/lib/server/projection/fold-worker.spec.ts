import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cardsMap, createCard, moveCard } from '../../board/document';
import { FoldWorker } from './fold-worker';
import { foldUpdates } from './store';

const worker = new FoldWorker();
afterAll(() => worker.close());

/** A board's log as the server stores it: one update per edit, with moves and a deletion. */
function storedLog(): Uint8Array[] {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	const ids = Array.from({ length: 30 }, (_, i) =>
		createCard(doc, { title: `Kort ${i}`, beneficiary: 'Boende', userId: 'u1' })
	);
	for (const [i, id] of ids.entries()) {
		moveCard(doc, id, { stage: i % 2 ? 'plan' : 'do', index: 0, userId: 'u1' });
	}
	cardsMap(doc).delete(ids[3]!);
	return updates;
}

describe('FoldWorker', () => {
	it('folds a log into the same snapshot and card count as the fold on this thread', async () => {
		const log = storedLog();
		const here = foldUpdates(log);
		const there = await worker.fold(log);
		expect(there.cardCount).toBe(29);
		expect(there.cardCount).toBe(here.cardCount);
		expect(Buffer.from(there.state).equals(Buffer.from(here.state))).toBe(true);
	});

	it('fails a fold of bytes Yjs cannot read, and folds the next one', async () => {
		await expect(worker.fold([new Uint8Array([255, 255, 255, 255, 1, 2])])).rejects.toThrow(
			/fold failed/
		);
		const again = await worker.fold(storedLog());
		expect(again.cardCount).toBe(29);
	});

	it('folds several requests queued at once, each to its own answer', async () => {
		const logs = [storedLog(), storedLog().slice(0, 10), storedLog().slice(0, 20)];
		const folded = await Promise.all(logs.map((log) => worker.fold(log)));
		expect(folded.map((f) => f.cardCount)).toEqual(logs.map((log) => foldUpdates(log).cardCount));
	});
});
