/**
 * Concurrent-move fuzzing: many clients move the same few cards with random delays, some of them
 * dropping offline for a moment and moving meanwhile. Whatever the interleaving: every replica
 * converges, each card exists exactly once, and the card projection equals the document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardsMap, createCard, moveCard, readCards } from '../../src/lib/board/document';
import { STAGES } from '../../src/lib/board/stages';
import { sleep } from '../../bench/lib/stats';
import {
	openHarness,
	projectionMatches,
	size,
	waitConverged,
	whenSynced,
	type Harness
} from './harness';

const CLIENTS = size(12, 6);
const OPERATIONS = size(10_000, 1_000);
const CARDS = 30;

describe('concurrent moves', () => {
	let harness: Harness;
	beforeAll(async () => {
		harness = await openHarness({ editors: CLIENTS });
	});
	afterAll(async () => {
		await harness?.close();
	});

	it(`${OPERATIONS} random moves by ${CLIENTS} clients converge with each card once`, async () => {
		const [board] = await harness.fixture.createBoards(1);
		const clients = harness.fixture.editors
			.slice(0, CLIENTS)
			.map((_, index) => harness.connect(board!, { editor: index }));
		for (const client of clients) expect(await whenSynced(client, 20_000)).toBe(true);
		const first = clients[0]!;
		for (let n = 0; n < CARDS; n++)
			createCard(first.doc, { id: `card-${n}`, title: `Kort ${n}`, userId: 'u' });
		const everyone = clients.map((client) => client.doc);
		expect(await waitConverged(everyone, 20_000)).toBe(true);

		let done = 0;
		let offlineTrips = 0;
		await Promise.all(
			clients.map(async (client, index) => {
				const userId = harness.fixture.editors[index]!.id;
				while (done < OPERATIONS) {
					await sleep(Math.random() * 12);
					if (Math.random() < 0.01) {
						// A short trip offline: moves made meanwhile come back through the handshake.
						offlineTrips++;
						client.provider.disconnect();
						setTimeout(() => client.provider.connect(), 50 + Math.random() * 250);
					}
					const cardId = `card-${Math.floor(Math.random() * CARDS)}`;
					const stage = STAGES[Math.floor(Math.random() * STAGES.length)]!;
					moveCard(client.doc, cardId, { stage, index: Math.floor(Math.random() * 6), userId });
					done++;
				}
			})
		);
		await sleep(400); // the last offline trips end
		for (const client of clients) client.provider.connect();
		for (const client of clients) expect(await whenSynced(client, 30_000)).toBe(true);

		expect(await waitConverged(everyone, 30_000)).toBe(true);
		const stored = await harness.readBoard(board!);
		expect(await waitConverged([...everyone, stored], 5_000)).toBe(true);
		const ids = readCards(stored).map((card) => card.id);
		expect(ids.length).toBe(CARDS);
		expect(new Set(ids).size).toBe(CARDS);
		expect(cardsMap(stored).size).toBe(CARDS);
		expect(offlineTrips).toBeGreaterThan(0);
		const projection = await projectionMatches(harness.fixture, board!, stored);
		expect(projection).toMatchObject({ ok: true });
	});
});
