/**
 * Stage events and the card projection, written by the sync server from live documents: who,
 * when (server time; an offline move's own time within bounds), from, to, cycle; and the
 * reconciliation a board load does when the tables and the document disagree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCard, deleteCard, moveCard, readCards } from '../../src/lib/board/document';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import { satisfyGates } from '../helpers/lifecycle';
import { connectClient, type TestClient } from '../helpers/sync-client';
import { startSyncHarness, waitFor, type SyncHarness } from '../helpers/sync-harness';
import { seedBoardCards, seedSyncWorld, type SyncWorld } from '../helpers/sync-seed';
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

function events(boardId: string, cardId?: string) {
	let query = database.db
		.selectFrom('card_events')
		.select(['id', 'card_id', 'from_stage', 'to_stage', 'at', 'by_user_id', 'cycle'])
		.where('board_id', '=', boardId)
		.orderBy('id');
	if (cardId) query = query.where('card_id', '=', cardId);
	return query.execute();
}

function projection(boardId: string) {
	return database.db
		.selectFrom('cards')
		.selectAll()
		.where('board_id', '=', boardId)
		.orderBy('id')
		.execute();
}

/** Reconnects after `offline` ran with the provider disconnected; resolves once saved again. */
async function offline(c: TestClient, change: () => void): Promise<void> {
	c.provider.disconnect();
	change();
	c.provider.connect();
	await waitFor(() => c.provider.synced && c.saved, 'saved after reconnecting');
}

/** Every card of the document has an equal, live row; every other row is marked deleted. */
async function expectProjectionEqualsDocument(boardId: string, doc: Y.Doc) {
	const rows = await projection(boardId);
	const cards = readCards(doc);
	for (const card of cards) {
		const row = rows.find((r) => r.id === card.id);
		expect(row, `row for ${card.id}`).toBeDefined();
		expect({
			title: row!.title,
			stage: row!.stage,
			cycle: row!.cycle,
			rank: row!.rank,
			beneficiary: row!.beneficiary,
			createdBy: row!.created_by,
			deleted: row!.deleted_at !== null
		}).toEqual({
			title: card.title,
			stage: card.stage,
			cycle: card.cycle,
			rank: card.rank,
			beneficiary: card.beneficiary,
			createdBy: card.createdBy,
			deleted: false
		});
	}
	const ids = new Set(cards.map((c) => c.id));
	for (const row of rows.filter((r) => !ids.has(r.id))) expect(row.deleted_at).not.toBeNull();
	// The last event of every card names its current stage.
	const all = await events(boardId);
	for (const card of cards) {
		const last = all.filter((e) => e.card_id === card.id).at(-1);
		expect(last?.to_stage, `last event of ${card.id}`).toBe(card.stage);
	}
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

describe('stage events', () => {
	it('records creation and a move with the sender, the server’s time and the cycle', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const c = client(board, world.editor.token);
		await waitFor(() => c.provider.synced, 'synced');
		const before = Date.now();
		const id = createCard(c.doc, {
			title: 'Färre tappade samtal',
			beneficiary: 'Invånare',
			userId: world.editor.id
		});
		satisfyGates(c.doc, id);
		await waitFor(() => c.saved, 'created');
		// The client claims another mover and a time long ago: the server trusts neither for a live move.
		moveCard(c.doc, id, {
			stage: 'plan',
			index: 0,
			userId: world.editor2.id,
			now: before - 86_400_000
		});
		await waitFor(() => c.saved, 'moved');
		const after = Date.now();

		const recorded = await events(board, id);
		expect(recorded.map((e) => [e.from_stage, e.to_stage, e.by_user_id, e.cycle])).toEqual([
			[null, 'proposed', world.editor.id, 1],
			['proposed', 'plan', world.editor.id, 1]
		]);
		for (const event of recorded) {
			expect(event.at.getTime()).toBeGreaterThanOrEqual(before);
			expect(event.at.getTime()).toBeLessThanOrEqual(after);
		}
		const [row] = await projection(board);
		expect(row).toMatchObject({
			id,
			title: 'Färre tappade samtal',
			stage: 'plan',
			beneficiary: 'Invånare',
			created_by: world.editor.id
		});
		expect(row!.stage_entered_at.getTime()).toBe(recorded[1]!.at.getTime());
		await expectProjectionEqualsDocument(board, c.doc);
	});

	it('bounds an offline move’s own time: not in the future, not before the previous event', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const c = client(board, world.editor.token);
		await waitFor(() => c.provider.synced, 'synced');
		const id = createCard(c.doc, { title: 'Flyttas offline', userId: world.editor.id });
		satisfyGates(c.doc, id);
		await waitFor(() => c.saved, 'created');

		const beforeFuture = Date.now();
		await offline(c, () =>
			moveCard(c.doc, id, {
				stage: 'plan',
				index: 0,
				userId: world.editor.id,
				now: Date.now() + 86_400_000
			})
		);
		const afterFuture = Date.now();
		const toPlan = (await events(board, id)).at(-1)!;
		expect(toPlan.to_stage).toBe('plan');
		expect(toPlan.at.getTime()).toBeGreaterThanOrEqual(beforeFuture);
		expect(toPlan.at.getTime()).toBeLessThanOrEqual(afterFuture);

		await offline(c, () =>
			moveCard(c.doc, id, {
				stage: 'do',
				index: 0,
				userId: world.editor.id,
				now: toPlan.at.getTime() - 3_600_000
			})
		);
		const toDo = (await events(board, id)).at(-1)!;
		expect(toDo.to_stage).toBe('do');
		expect(toDo.at.getTime()).toBe(toPlan.at.getTime());

		const inBounds = toDo.at.getTime() + 1;
		await waitFor(() => Date.now() > inBounds, 'the clock passed the chosen time');
		await offline(c, () =>
			moveCard(c.doc, id, { stage: 'check', index: 0, userId: world.editor.id, now: inBounds })
		);
		const toCheck = (await events(board, id)).at(-1)!;
		expect(toCheck.to_stage).toBe('check');
		expect(toCheck.at.getTime()).toBe(inBounds);
		expect(toCheck.by_user_id).toBe(world.editor.id);
	});

	it('writes a consistent event chain when two editors move one card at once', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const alice = client(board, world.editor.token);
		const bob = client(board, world.editor2.token);
		await waitFor(() => alice.provider.synced && bob.provider.synced, 'synced');
		const id = createCard(alice.doc, { title: 'Omstridd', userId: world.editor.id });
		satisfyGates(alice.doc, id);
		await waitFor(() => readCards(bob.doc).length === 1 && alice.saved, 'bob has it');
		moveCard(alice.doc, id, { stage: 'plan', index: 0, userId: world.editor.id });
		moveCard(bob.doc, id, { stage: 'do', index: 0, userId: world.editor2.id });
		await waitFor(
			() =>
				alice.saved && bob.saved && readCards(alice.doc)[0]?.stage === readCards(bob.doc)[0]?.stage,
			'converged and saved'
		);
		const chain = await events(board, id);
		for (let i = 1; i < chain.length; i++) {
			expect(chain[i]!.from_stage).toBe(chain[i - 1]!.to_stage);
			expect(chain[i]!.from_stage).not.toBe(chain[i]!.to_stage);
		}
		expect(chain.at(-1)!.to_stage).toBe(readCards(alice.doc)[0]!.stage);
		await expectProjectionEqualsDocument(board, alice.doc);
	});

	it('marks a deleted card’s row as deleted', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const c = client(board, world.editor.token);
		await waitFor(() => c.provider.synced, 'synced');
		const keep = createCard(c.doc, { title: 'Stannar', userId: world.editor.id });
		const gone = createCard(c.doc, { title: 'Försvinner', userId: world.editor.id });
		await waitFor(() => c.saved, 'created');
		deleteCard(c.doc, gone);
		await waitFor(() => c.saved, 'deleted');
		const rows = await projection(board);
		expect(rows.find((r) => r.id === keep)!.deleted_at).toBeNull();
		expect(rows.find((r) => r.id === gone)!.deleted_at).not.toBeNull();
	});
});

describe('reconciliation on load', () => {
	it('repairs missing, stale and extra rows and stages that differ from the last event', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const { cardIds } = await seedBoardCards(database.db, board, 24, world.editor.id);
		const [missing, stale, wrongEvent, noEvents] = [
			cardIds[0]!,
			cardIds[1]!,
			cardIds[2]!,
			cardIds[3]!
		];
		const { db } = database;
		await db.deleteFrom('cards').where('board_id', '=', board).where('id', '=', missing).execute();
		await db
			.updateTable('cards')
			.set({ title: 'Fel titel', stage: 'parked', rank: 'z' })
			.where('board_id', '=', board)
			.where('id', '=', stale)
			.execute();
		await db
			.insertInto('cards')
			.values({ id: 'not-in-document', board_id: board, title: 'Spöke', stage: 'do' })
			.execute();
		await db
			.insertInto('card_events')
			.values({
				board_id: board,
				card_id: wrongEvent,
				from_stage: null,
				to_stage: 'declined',
				at: new Date(),
				by_user_id: null
			})
			.execute();
		await db
			.deleteFrom('card_events')
			.where('board_id', '=', board)
			.where('card_id', '=', noEvents)
			.execute();

		const lastEventBefore = Number((await events(board)).at(-1)!.id);
		harness.restart();
		const c = client(board, world.editor.token);
		await waitFor(() => c.provider.synced, 'synced');
		await expectProjectionEqualsDocument(board, c.doc);
		const reconciling = (await events(board)).filter((e) => Number(e.id) > lastEventBefore);
		expect(reconciling.every((e) => e.by_user_id === null)).toBe(true);
		expect(reconciling.map((e) => e.card_id).sort()).toEqual([wrongEvent, noEvents].sort());
		expect(reconciling.find((e) => e.card_id === wrongEvent)!.from_stage).toBe('declined');
		expect(reconciling.find((e) => e.card_id === noEvents)!.from_stage).toBeNull();
	});
});
