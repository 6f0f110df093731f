/**
 * Two rules the sync server enforces when it applies an update, whatever the client checked:
 * a hard WIP limit that two moves made apart (one of them offline) would break together — the
 * move that reaches the server later is undone and its author told why — and the Standard gate,
 * which needs the standard written out, owned and with a review date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import {
	columnOrder,
	createCard,
	moveCard,
	readCardMove,
	setWipLimit
} from '../../src/lib/board/document';
import type { Stage } from '../../src/lib/board/stages';
import {
	initCardDetail,
	moveThroughLifecycle,
	setCycleField,
	setStandardFields,
	standardText
} from '../../src/lib/board/pdca';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import { satisfyGates } from '../helpers/lifecycle';
import { connectClient, type TestClient } from '../helpers/sync-client';
import { startSyncHarness, waitFor, type SyncHarness } from '../helpers/sync-harness';
import { seedSyncWorld, type SyncWorld } from '../helpers/sync-seed';
import { openTestDatabase } from '../helpers/test-database';
import { seedBoard } from '../helpers/seed';

let database: OpenDatabase;
let harness: SyncHarness;
let world: SyncWorld;
const clients: TestClient[] = [];

function client(boardId: string, token: string): TestClient {
	const c = connectClient(harness, boardId, { token });
	clients.push(c);
	return c;
}

const stageOf = (doc: Y.Doc, id: string) => readCardMove(doc, id)?.stage;

function stagesRecorded(boardId: string, cardId: string) {
	return database.db
		.selectFrom('card_events')
		.select('to_stage')
		.where('board_id', '=', boardId)
		.where('card_id', '=', cardId)
		.orderBy('id')
		.execute()
		.then((rows) => rows.map((r) => r.to_stage));
}

function projectedStage(boardId: string, cardId: string) {
	return database.db
		.selectFrom('cards')
		.select('stage')
		.where('board_id', '=', boardId)
		.where('id', '=', cardId)
		.executeTakeFirstOrThrow()
		.then((r) => r.stage);
}

/** A card with every gate's facts, moved legally to `stage` and stored. */
async function cardIn(c: TestClient, title: string, stage: Stage): Promise<string> {
	const id = createCard(c.doc, { title, beneficiary: 'Boende', userId: world.editor.id });
	initCardDetail(c.doc, id, { id: world.editor.id, name: 'Edit Ör' });
	satisfyGates(c.doc, id);
	for (const next of ['plan', 'do', 'check', 'act'] as const) {
		if (stage === 'proposed') break;
		expect(
			moveThroughLifecycle(c.doc, id, { stage: next, index: 0, userId: world.editor.id })
		).toMatchObject({ ok: true });
		await waitFor(() => c.saved, `${title} in ${next}`);
		if (next === stage) break;
	}
	return id;
}

beforeAll(async () => {
	database = await openTestDatabase();
	world = await seedSyncWorld(database.db);
	harness = await startSyncHarness(database);
});

afterAll(async () => {
	for (const c of clients) c.destroy();
	await harness.close();
	await database.close();
});

describe('hard WIP limits on the server', () => {
	it('undoes an offline move into a column that an online move filled first, and says why', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const online = client(board, world.editor.token);
		const offline = client(board, world.editor2.token);
		await waitFor(() => online.provider.synced && offline.provider.synced, 'both synced');
		await cardIn(online, 'Redan i Gör 1', 'do');
		await cardIn(online, 'Redan i Gör 2', 'do');
		const early = await cardIn(online, 'Flyttas i tid', 'plan');
		const late = await cardIn(online, 'Flyttas offline', 'plan');
		setWipLimit(online.doc, 'do', { limit: 3, hard: true });
		await waitFor(() => online.saved, 'limit set');
		await waitFor(() => stageOf(offline.doc, late) === 'plan', 'the other screen has it all');

		// 2/3: each screen sees room for one more.
		offline.provider.disconnect();
		moveCard(offline.doc, late, { stage: 'do', index: 0, userId: world.editor2.id });
		moveCard(online.doc, early, { stage: 'do', index: 0, userId: world.editor.id });
		await waitFor(() => online.saved, 'the online move is stored');
		offline.provider.connect();

		await waitFor(() => offline.refusals.length === 1, 'the late author is told');
		expect(offline.refusals[0]).toEqual({ cardId: late, reason: 'hard_limit', missing: [] });
		await waitFor(
			() => stageOf(offline.doc, late) === 'plan' && stageOf(online.doc, late) === 'plan',
			'undone on both screens'
		);
		await waitFor(() => offline.saved && online.saved, 'stored');
		expect(columnOrder(online.doc, 'do')).toHaveLength(3);
		expect(columnOrder(offline.doc, 'do')).toHaveLength(3);
		expect(stageOf(online.doc, early)).toBe('do');
		expect(online.refusals).toEqual([]);
		expect(await stagesRecorded(board, late)).toEqual(['proposed', 'plan']);
		expect(await stagesRecorded(board, early)).toEqual(['proposed', 'plan', 'do']);
		await waitFor(async () => (await projectedStage(board, late)) === 'plan', 'projected');
	});

	it('leaves soft limits and moves within a full column alone', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const c = client(board, world.editor.token);
		await waitFor(() => c.provider.synced, 'synced');
		const a = await cardIn(c, 'A', 'do');
		const b = await cardIn(c, 'B', 'do');
		const extra = await cardIn(c, 'C', 'plan');
		setWipLimit(c.doc, 'do', { limit: 2, hard: true });
		await waitFor(() => c.saved, 'limit set');
		moveCard(c.doc, a, { stage: 'do', index: 1, userId: world.editor.id });
		await waitFor(() => c.saved, 'reordered');
		expect(columnOrder(c.doc, 'do').map((card) => card.id)).toEqual([b, a]);
		setWipLimit(c.doc, 'do', { limit: 2, hard: false });
		moveCard(c.doc, extra, { stage: 'do', index: 0, userId: world.editor.id });
		await waitFor(() => c.saved, 'moved over a soft limit');
		expect(stageOf(c.doc, extra)).toBe('do');
		expect(c.refusals).toEqual([]);
		expect(await stagesRecorded(board, extra)).toEqual(['proposed', 'plan', 'do']);
	});
});

describe('the Standard gate on the server', () => {
	it('undoes an adopt into Standard until the standard is written, owned and has a review date', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const c = client(board, world.editor.token);
		await waitFor(() => c.provider.synced, 'synced');
		const id = await cardIn(c, 'Frukost i två omgångar', 'act');
		// The standard left empty (satisfyGates wrote one).
		const text = standardText(c.doc, id)!;
		text.delete(0, text.length);
		text.insert(0, '   ');
		setStandardFields(c.doc, id, { owner: null, reviewDate: null });
		setCycleField(c.doc, id, 1, {
			key: 'decision',
			value: {
				kind: 'adopt',
				reasons: 'Målet nåddes',
				by: { id: world.editor.id, name: 'Edit Ör' },
				at: Date.now(),
				decidedAnyway: null,
				inputs: []
			}
		});
		await waitFor(() => c.saved, 'decided');

		// A client that skips its own gate check writes the place straight away.
		moveCard(c.doc, id, { stage: 'standard', index: 0, userId: world.editor.id });
		await waitFor(() => c.refusals.length === 1, 'told why');
		expect(c.refusals[0]).toEqual({
			cardId: id,
			reason: 'missing',
			missing: ['standard_text', 'standard_owner', 'standard_review']
		});
		await waitFor(() => stageOf(c.doc, id) === 'act' && c.saved, 'undone');
		expect(await stagesRecorded(board, id)).not.toContain('standard');

		text.insert(0, 'Frukost 07.00 och 08.30; nattpersonalen dukar fram.');
		setStandardFields(c.doc, id, {
			owner: { id: world.editor2.id, name: 'Edit Två' },
			reviewDate: '2027-06-01'
		});
		moveCard(c.doc, id, { stage: 'standard', index: 0, userId: world.editor.id });
		await waitFor(() => c.saved && stageOf(c.doc, id) === 'standard', 'adopted');
		expect(c.refusals).toHaveLength(1);
		expect((await stagesRecorded(board, id)).at(-1)).toBe('standard');
		await waitFor(async () => (await projectedStage(board, id)) === 'standard', 'projected');
	});
});
