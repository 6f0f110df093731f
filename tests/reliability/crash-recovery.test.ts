/**
 * kill -9 of the sync server at random moments while several editors work, many times. Before
 * each restart the editors are disconnected, so they cannot hand back what the server lost: a
 * fresh client must then find every card the server had acknowledged as persisted. After all
 * cycles the editors reconnect and everyone converges (their unacknowledged edits return through
 * the sync handshake), each card once, the projection equal to the document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardsMap, readCards } from '../../src/lib/board/document';
import { sleep } from '../../bench/lib/stats';
import {
	EditLog,
	EditorLoad,
	openHarness,
	projectionMatches,
	size,
	waitConverged,
	whenSynced,
	type Harness
} from './harness';

const CYCLES = size(20, 3);
const EDITORS = size(6, 4);

describe('kill -9 under load', () => {
	let harness: Harness;
	beforeAll(async () => {
		harness = await openHarness({ editors: EDITORS });
	});
	afterAll(async () => {
		await harness?.close();
	});

	it(`loses no acknowledged edit over ${CYCLES} crashes, and every editor converges after`, async () => {
		const [board] = await harness.fixture.createBoards(1);
		const editors = harness.fixture.editors.slice(0, EDITORS).map((user, index) => {
			const client = harness.connect(board!, { editor: index });
			return { client, log: new EditLog(client), userId: user.id, name: `e${index}` };
		});
		for (const editor of editors) expect(await whenSynced(editor.client, 20_000)).toBe(true);
		const load = new EditorLoad(editors, { minDelayMs: 5, maxDelayMs: 40, createShare: 0.7 });
		const lostPerCycle: string[][] = [];
		let acknowledgedTotal = 0;

		for (let cycle = 0; cycle < CYCLES; cycle++) {
			load.start();
			await sleep(200 + Math.random() * 1000);
			await harness.kill();
			await sleep(Math.random() * 150); // edits keep coming while the server is gone
			await load.stop();
			for (const editor of editors) editor.client.provider.disconnect();
			const acknowledged = editors.flatMap((editor) => editor.log.acknowledged());
			acknowledgedTotal = acknowledged.length;

			await harness.start();
			const stored = await harness.readBoard(board!);
			lostPerCycle.push(acknowledged.filter((id) => !cardsMap(stored).has(id)));

			for (const editor of editors) editor.client.provider.connect();
			for (const editor of editors) expect(await whenSynced(editor.client, 30_000)).toBe(true);
		}

		expect(lostPerCycle.flat()).toEqual([]);
		expect(acknowledgedTotal).toBeGreaterThan(0);

		// Everyone converges on everything anyone made, and the server holds it too.
		const created = editors.flatMap((editor) => editor.log.cards.map((card) => card.id));
		const docs = editors.map((editor) => editor.client.doc);
		expect(await waitConverged(docs, 30_000)).toBe(true);
		const stored = await harness.readBoard(board!);
		expect(await waitConverged([...docs, stored], 1_000)).toBe(true);
		const ids = readCards(stored).map((card) => card.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(created.filter((id) => !cardsMap(stored).has(id))).toEqual([]);
		const projection = await projectionMatches(harness.fixture, board!, stored);
		expect(projection).toMatchObject({ ok: true });
		expect(harness.server.child.exitCode).toBeNull();
	});
});
