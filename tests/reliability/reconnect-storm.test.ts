/**
 * Reconnect storm: hundreds of clients lose the server at once (kill -9), each makes an edit while
 * it is gone, and all reconnect together when it is back (the stock client's backoff has no
 * jitter, so they arrive in waves). Within a generous bound every client is synced again, every
 * offline edit has reached every replica of its board and the server, and each is acknowledged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardsMap, createCard, readCards } from '../../src/lib/board/document';
import { seedCards } from '../../bench/lib/board';
import { waitUntil } from '../../bench/lib/stats';
import { openHarness, size, whenSynced, type Client, type Harness } from './harness';

const BOARDS = size(12, 8);
const CLIENTS_PER_BOARD = 40;
const CARDS = 100;
const RESYNC_BOUND_MS = 120_000;

describe('reconnect storm', () => {
	let harness: Harness;
	beforeAll(async () => {
		harness = await openHarness({ editors: 10 });
	});
	afterAll(async () => {
		await harness?.close();
	});

	it(`${BOARDS * CLIENTS_PER_BOARD} clients dropped at once all resync without loss`, async () => {
		const boards = await harness.fixture.createBoards(BOARDS);
		const groups: Client[][] = [];
		for (const board of boards) {
			const group: Client[] = [];
			for (let n = 0; n < CLIENTS_PER_BOARD; n++) {
				// The stock client's own backoff (2.5 s cap), as browsers have it.
				group.push(harness.connect(board, { editor: n, maxBackoffTime: 2500 }));
			}
			for (const client of group) expect(await whenSynced(client, 30_000)).toBe(true);
			seedCards(group[0]!.doc, CARDS, { userId: 'u', prefix: `${board}-c` });
			groups.push(group);
		}
		const all = groups.flat();
		expect(
			await waitUntil(
				() => groups.every((group) => group.every((c) => cardsMap(c.doc).size === CARDS)),
				60_000
			)
		).toBe(true);

		await harness.kill();
		await waitUntil(() => all.every((client) => !client.provider.wsconnected), 10_000);
		for (const [b, group] of groups.entries()) {
			for (const [n, client] of group.entries()) {
				createCard(client.doc, { id: `offline-${b}-${n}`, title: `Offline ${n}`, userId: 'u' });
			}
		}
		await harness.start();

		const expected = CARDS + CLIENTS_PER_BOARD;
		const resynced = await waitUntil(
			() =>
				all.every((client) => client.provider.synced) &&
				groups.every((group) => group.every((c) => cardsMap(c.doc).size === expected)),
			RESYNC_BOUND_MS,
			100
		);
		expect(resynced).toBe(true);
		// Every client's offline edit is acknowledged as persisted on its new socket.
		const acked = await waitUntil(
			() =>
				all.every((client) => {
					const log = client.current();
					const last = log?.acks[log.acks.length - 1]?.count ?? 0;
					return log !== undefined && log.sent.length > 0 && last >= log.sent.length;
				}),
			RESYNC_BOUND_MS,
			100
		);
		expect(acked).toBe(true);
		for (const [b, board] of boards.entries()) {
			const stored = await harness.readBoard(board);
			const ids = readCards(stored).map((card) => card.id);
			expect(ids.length).toBe(expected);
			expect(new Set(ids).size).toBe(expected);
			for (let n = 0; n < CLIENTS_PER_BOARD; n++)
				expect(cardsMap(stored).has(`offline-${b}-${n}`)).toBe(true);
		}
		expect(harness.server.child.exitCode).toBeNull();
	});
});
