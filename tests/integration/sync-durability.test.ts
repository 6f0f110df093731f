/**
 * Durability of the sync server: acknowledged edits survive a crash, edits in flight come back
 * through the handshake, failed writes are retried, compaction keeps the document, and a board
 * leaves memory only once everything it received is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCard, moveCard, readCards } from '../../src/lib/board/document';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import { listVersions } from '../../src/lib/server/history/versions';
import {
	createBoardStore,
	getBoardDocumentState,
	type BoardStore
} from '../../src/lib/server/projection/store';
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

async function storedCards(boardId: string) {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, await getBoardDocumentState(database.db, boardId));
	return readCards(doc).sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Compaction has stored a snapshot of the board. */
async function hasSnapshot(boardId: string): Promise<boolean> {
	const snapshot = await database.db
		.selectFrom('board_snapshots')
		.select('board_id')
		.where('board_id', '=', boardId)
		.executeTakeFirst();
	return snapshot !== undefined;
}

function cardsOf(doc: Y.Doc) {
	return readCards(doc).sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** A store whose commits wait at a gate (or fail) until the test says otherwise. */
function controllableStore(real: BoardStore) {
	const control = {
		attempts: 0,
		failing: false,
		open: true,
		waiters: [] as { resolve: () => void; reject: (error: Error) => void }[],
		release() {
			control.open = true;
			for (const waiter of control.waiters.splice(0)) waiter.resolve();
		},
		/** The process holding these commits died: they never reach the database. */
		abandon() {
			for (const waiter of control.waiters.splice(0)) waiter.reject(new Error('process died'));
		}
	};
	const store: BoardStore = {
		...real,
		async commit(batch) {
			if (batch.update) control.attempts++;
			if (batch.update && control.failing) throw new Error('database unavailable (test)');
			if (batch.update && !control.open) {
				await new Promise<void>((resolve, reject) => control.waiters.push({ resolve, reject }));
			}
			await real.commit(batch);
		}
	};
	return { store, control };
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

describe('durability', () => {
	it('keeps an acknowledged edit across a crash and restart', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const writer = client(board, world.editor.token);
		await waitFor(() => writer.provider.synced, 'synced');
		const id = createCard(writer.doc, { title: 'Överlever omstart', userId: world.editor.id });
		await waitFor(() => writer.saved && writer.sent > 0, 'persisted ack');
		writer.destroy();

		harness.restart(); // crash: nothing flushed on the way down
		const reader = client(board, world.editor2.token);
		await waitFor(() => reader.provider.synced, 'reader synced');
		expect(readCards(reader.doc).map((c) => c.id)).toEqual([id]);
	});

	it('recovers an edit that was in flight when the server died, from the client that holds it', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const { store, control } = controllableStore(createBoardStore(database.db));
		harness.restart({ store });
		const writer = client(board, world.editor.token);
		const watcher = client(board, world.editor2.token);
		await waitFor(() => writer.provider.synced && watcher.provider.synced, 'both synced');

		control.open = false; // commits now hang: the edit is broadcast but never stored
		const id = createCard(writer.doc, { title: 'Mitt i flykten', userId: world.editor.id });
		await waitFor(() => readCards(watcher.doc).some((c) => c.id === id), 'broadcast before commit');
		await waitFor(() => control.attempts > 0, 'a commit is in flight');
		expect(writer.saved).toBe(false);
		expect(await storedCards(board)).toEqual([]);

		harness.restart(); // crash with the commit in flight
		control.abandon();
		await waitFor(
			async () => (await storedCards(board)).some((c) => c.id === id),
			'stored after reconnect'
		);
		await waitFor(() => writer.saved && writer.provider.synced, 'writer saved on the new server');
		expect(cardsOf(writer.doc)).toEqual(await storedCards(board));
	});

	it('retries a failed write with backoff and acknowledges it only once stored', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const { store, control } = controllableStore(createBoardStore(database.db));
		harness.restart({ store, retryBaseMs: 5, retryMaxMs: 20 });
		const writer = client(board, world.editor.token);
		await waitFor(() => writer.provider.synced, 'synced');
		control.failing = true;
		const id = createCard(writer.doc, { title: 'Försök igen', userId: world.editor.id });
		await waitFor(() => control.attempts >= 3, 'several failed attempts');
		expect(writer.saved).toBe(false);
		control.failing = false;
		await waitFor(() => writer.saved, 'acknowledged after the retry succeeded');
		expect((await storedCards(board)).map((c) => c.id)).toEqual([id]);
	});

	it('unloads an empty board after the grace period, but not before its edits are stored', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const { store, control } = controllableStore(createBoardStore(database.db));
		const server = harness.restart({ store, unloadGraceMs: 1, retryBaseMs: 5, retryMaxMs: 10 });
		const writer = client(board, world.editor.token);
		await waitFor(() => writer.provider.synced, 'synced');
		control.failing = true;
		createCard(writer.doc, { title: 'Väntar på lagring', userId: world.editor.id });
		await waitFor(() => control.attempts >= 1, 'first failed attempt');
		writer.destroy();
		// Far past the 1 ms grace period, judged by retries, not by the clock.
		await waitFor(() => control.attempts >= 4, 'more failed attempts');
		expect(server.loadedBoards()).toContain(board);
		control.failing = false;
		await waitFor(() => !server.loadedBoards().includes(board), 'unloaded once stored');
		expect(await storedCards(board)).toHaveLength(1);
	});

	it('folds the log into a snapshot and loads the same document after it', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const server = harness.restart({ compactAfterRows: 5 });
		const writer = client(board, world.editor.token);
		await waitFor(() => writer.provider.synced, 'synced');
		const ids: string[] = [];
		for (let i = 0; i < 12; i++) {
			ids.push(createCard(writer.doc, { title: `Kort ${i}`, userId: world.editor.id }));
			// One at a time, so each is its own commit and the log really grows.
			await waitFor(() => writer.saved, `card ${i} saved`);
		}
		moveCard(writer.doc, ids[0]!, { stage: 'plan', index: 0, userId: world.editor.id });
		await waitFor(() => writer.saved, 'move saved');
		await waitFor(() => hasSnapshot(board), 'a snapshot');
		const tail = await database.db
			.selectFrom('board_updates')
			.select((eb) => eb.fn.countAll<string>().as('rows'))
			.where('board_id', '=', board)
			.executeTakeFirstOrThrow();
		expect(Number(tail.rows)).toBeLessThan(13);
		expect(await storedCards(board)).toEqual(cardsOf(writer.doc));
		writer.destroy();
		await server.close();
		// Each fold (made on the fold worker) is kept as a version point, with its card count.
		const points = await listVersions(database.db, board);
		const folds = points.filter((point) => point.kind === 'compaction');
		expect(folds.length).toBeGreaterThan(0);
		for (const point of folds) expect(point.cardCount).toBeGreaterThanOrEqual(5);

		harness.restart();
		const reader = client(board, world.editor2.token);
		await waitFor(() => reader.provider.synced, 'reader synced');
		expect(cardsOf(reader.doc)).toEqual(cardsOf(writer.doc));
	});

	it('keeps saving edits while a compaction is in flight (the fold runs beside the commits)', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const real = createBoardStore(database.db);
		let releaseFold: () => void = () => {};
		const foldHeld = new Promise<void>((resolve) => (releaseFold = resolve));
		let folds = 0;
		const store: BoardStore = {
			...real,
			async compact(boardId, currentState) {
				folds++;
				await foldHeld;
				return real.compact(boardId, currentState);
			}
		};
		const server = harness.restart({ store, compactAfterRows: 3 });
		const writer = client(board, world.editor.token);
		await waitFor(() => writer.provider.synced, 'synced');
		for (let i = 0; i < 3; i++) {
			createCard(writer.doc, { title: `Före ${i}`, userId: world.editor.id });
			await waitFor(() => writer.saved, `card ${i} saved`);
		}
		await waitFor(() => folds === 1, 'a compaction started');
		// The fold is held: edits made now are still acknowledged as saved, in the log.
		for (let i = 0; i < 3; i++) {
			createCard(writer.doc, { title: `Under ${i}`, userId: world.editor.id });
			await waitFor(() => writer.saved, `card ${i} saved during the fold`);
		}
		expect(await storedCards(board)).toEqual(cardsOf(writer.doc));
		releaseFold();
		await waitFor(() => hasSnapshot(board), 'the snapshot');
		expect(await storedCards(board)).toEqual(cardsOf(writer.doc));
		writer.destroy();
		await server.close();
	});

	it('serves a seeded 300-card board to a joiner', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const { cardIds } = await seedBoardCards(database.db, board, 300, world.editor.id);
		harness.restart();
		const reader = client(board, world.editor2.token);
		await waitFor(() => reader.provider.synced, 'synced');
		expect(
			readCards(reader.doc)
				.map((c) => c.id)
				.sort()
		).toEqual([...cardIds].sort());
	});
});
