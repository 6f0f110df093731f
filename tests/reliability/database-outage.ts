/**
 * The shared body of the database-outage tests: editors work, the database goes away under them
 * (how is the caller's choice), and afterwards the sync server is still up, has retried its
 * writes, acknowledged every edit, and lost nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cardsMap } from '../../src/lib/board/document';
import { sleep, waitUntil } from '../../bench/lib/stats';
import {
	EditLog,
	EditorLoad,
	openHarness,
	projectionMatches,
	waitConverged,
	whenSynced,
	type Harness
} from './harness';

export function describeDatabaseOutage(
	what: string,
	disrupt: (harness: Harness) => Promise<void>
): void {
	let harness: Harness;
	beforeAll(async () => {
		harness = await openHarness({ editors: 4 });
	});
	afterAll(async () => {
		await harness?.close();
	});

	it(`keeps serving through ${what}, retries and loses nothing`, async () => {
		const [board] = await harness.fixture.createBoards(1);
		const editors = harness.fixture.editors.map((user, index) => {
			const client = harness.connect(board!, { editor: index });
			return { client, log: new EditLog(client), userId: user.id, name: `e${index}` };
		});
		for (const editor of editors) expect(await whenSynced(editor.client, 20_000)).toBe(true);
		const load = new EditorLoad(editors, { minDelayMs: 10, maxDelayMs: 60, createShare: 0.7 });
		load.start();
		await sleep(1_000);
		await disrupt(harness);
		await sleep(2_000); // edits keep coming while the server reconnects
		await load.stop();

		expect(harness.server.child.exitCode, harness.server.stderrTail()).toBeNull();
		const everythingAcked = await waitUntil(
			() =>
				editors.every(({ client }) => {
					const log = client.current();
					const last = log?.acks[log.acks.length - 1]?.count ?? 0;
					return log !== undefined && last >= log.sent.length;
				}),
			90_000,
			200
		);
		expect(everythingAcked).toBe(true);
		const created = editors.flatMap((editor) => editor.log.cards.map((card) => card.id));
		expect(editors.flatMap((editor) => editor.log.acknowledged()).length).toBe(created.length);

		// What the server holds after its own restart comes from Postgres alone.
		for (const editor of editors) editor.client.provider.disconnect();
		await harness.server.stop();
		await harness.start();
		const stored = await harness.readBoard(board!);
		expect(created.filter((id) => !cardsMap(stored).has(id))).toEqual([]);
		for (const editor of editors) editor.client.provider.connect();
		expect(await waitConverged([...editors.map((e) => e.client.doc), stored], 30_000)).toBe(true);
		const projection = await projectionMatches(harness.fixture, board!, stored);
		expect(projection).toMatchObject({ ok: true });
	});
}
