/**
 * Nothing one person does can lose a board (issue 13): a member's mass deletion is refused and
 * undone on every replica, an allowed deletion puts the card in the trash, and putting it back
 * keeps its stage events. Driven through the real sync server with the stock y-websocket client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cardsMap, deleteCard, readCards } from '../../src/lib/board/document';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import { getBoardDocumentState } from '../../src/lib/server/projection/store';
import { listTrash, restoreFromTrash } from '../../src/lib/server/trash';
import { readDeletionRefused, type DeletionRefusal } from '../../src/lib/sync/deletion-refused';
import { MessageType } from '../../src/lib/sync/protocol';
import { seedBoard } from '../helpers/seed';
import { connectClient, type TestClient } from '../helpers/sync-client';
import { startSyncHarness, waitFor, type SyncHarness } from '../helpers/sync-harness';
import {
	seedBoardCards,
	seedPerson,
	seedSyncWorld,
	type SeededPerson,
	type SyncWorld
} from '../helpers/sync-seed';
import { openTestDatabase } from '../helpers/test-database';

let database: OpenDatabase;
let harness: SyncHarness;
let world: SyncWorld;
let manager: SeededPerson;
const clients: TestClient[] = [];

/** A connected client that also records the server's "deletion refused" messages. */
async function client(boardId: string, token: string) {
	const c = connectClient(harness, boardId, { token });
	clients.push(c);
	const refusals: DeletionRefusal[] = [];
	c.provider.messageHandlers[MessageType.deletionRefused] = (_encoder, decoder) => {
		const refusal = readDeletionRefused(decoder);
		if (refusal) refusals.push(refusal);
	};
	await waitFor(() => c.provider.synced, 'synced');
	return { c, refusals };
}

/** Every card's whole content, keyed by id: what "the board is unchanged" compares. */
function content(doc: Y.Doc): Record<string, unknown> {
	return cardsMap(doc).toJSON();
}

async function storedContent(boardId: string) {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, await getBoardDocumentState(database.db, boardId));
	return content(doc);
}

function liveRows(boardId: string) {
	return database.db
		.selectFrom('cards')
		.select('id')
		.where('board_id', '=', boardId)
		.where('deleted_at', 'is', null)
		.execute();
}

function eventsOf(boardId: string, cardId: string) {
	return database.db
		.selectFrom('card_events')
		.select(['id', 'to_stage', 'at'])
		.where('board_id', '=', boardId)
		.where('card_id', '=', cardId)
		.orderBy('id')
		.execute();
}

beforeAll(async () => {
	database = await openTestDatabase();
	world = await seedSyncWorld(database.db);
	manager = await seedPerson(database.db, world.organisationId, world.teamId, 'manager', 'Chef');
	harness = await startSyncHarness(database);
});

afterAll(async () => {
	for (const c of clients) c.destroy();
	await harness.close();
	await database.close();
});

describe('the mass-deletion guard', () => {
	it('refuses a member’s mass delete: the board is unchanged on every replica and in storage', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const { cardIds } = await seedBoardCards(database.db, board, 30, world.editor.id);
		const a = await client(board, world.editor.token);
		const b = await client(board, world.editor2.token);
		const before = content(a.c.doc);
		expect(Object.keys(before)).toHaveLength(30);
		expect(content(b.c.doc)).toEqual(before);

		a.c.doc.transact(() => {
			for (const id of cardIds.slice(0, 15)) deleteCard(a.c.doc, id);
		});
		expect(readCards(a.c.doc)).toHaveLength(15);

		await waitFor(() => a.refusals.length === 1 && a.c.saved, 'refused and saved');
		expect(a.refusals[0]).toEqual({ deleted: 15, limit: 6 });
		await waitFor(() => readCards(a.c.doc).length === 30, 'sender corrected');
		await waitFor(() => readCards(b.c.doc).length === 30, 'other replica unchanged');
		expect(content(a.c.doc)).toEqual(before);
		expect(content(b.c.doc)).toEqual(before);
		expect(await storedContent(board)).toEqual(before);
		await waitFor(async () => (await liveRows(board)).length === 30, 'projection rows live');
		// A late joiner sees the whole board too.
		const late = await client(board, world.viewer.token);
		expect(content(late.c.doc)).toEqual(before);
		// Nothing went to the trash: nothing was deleted.
		expect(await listTrash(database.db, board)).toEqual([]);
	});

	it('lets a manager delete many cards at once; they go to the trash', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const { cardIds } = await seedBoardCards(database.db, board, 20, world.editor.id);
		const m = await client(board, manager.token);
		const other = await client(board, world.editor.token);
		m.c.doc.transact(() => {
			for (const id of cardIds.slice(0, 12)) deleteCard(m.c.doc, id);
		});
		await waitFor(() => m.c.saved, 'saved');
		await waitFor(() => readCards(other.c.doc).length === 8, 'deletion reached the other replica');
		expect(m.refusals).toEqual([]);
		await waitFor(
			async () => (await listTrash(database.db, board)).length === 12,
			'twelve cards in the trash'
		);
		const trash = await listTrash(database.db, board);
		expect(new Set(trash.map((entry) => entry.cardId))).toEqual(new Set(cardIds.slice(0, 12)));
		expect(trash.every((entry) => entry.deletedById === manager.id)).toBe(true);
		expect(trash.every((entry) => entry.deletedByName === 'Chef')).toBe(true);
	});
});

describe('trash', () => {
	it('delete → trash → restore brings the card back with its content and keeps its events', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const { cardIds } = await seedBoardCards(database.db, board, 6, world.editor.id);
		const a = await client(board, world.editor.token);
		const b = await client(board, world.editor2.token);
		const target = cardIds[2]!;
		const before = content(a.c.doc);
		const eventsBefore = await eventsOf(board, target);
		expect(eventsBefore.length).toBeGreaterThan(0);

		deleteCard(a.c.doc, target);
		await waitFor(() => a.c.saved, 'deletion saved');
		await waitFor(() => !cardsMap(b.c.doc).has(target), 'deleted on the other replica');
		expect(a.refusals).toEqual([]);
		await waitFor(async () => (await listTrash(database.db, board)).length === 1, 'in the trash');
		const [entry] = await listTrash(database.db, board);
		expect(entry).toMatchObject({ cardId: target, deletedById: world.editor.id });
		expect(entry!.title).toBe(before[target] && (before[target] as { title: string }).title);
		await waitFor(
			async () => !(await liveRows(board)).some((row) => row.id === target),
			'projection marks it deleted'
		);
		expect(await eventsOf(board, target)).toEqual(eventsBefore);

		// Another member may not put back someone else's deletion; a viewer neither.
		expect(
			await restoreFromTrash(database.db, {
				boardId: board,
				trashId: entry!.id,
				userId: world.editor2.id,
				role: 'member'
			})
		).toEqual({ ok: false, reason: 'forbidden' });
		// The trash of one board is not reachable from another.
		expect(
			await restoreFromTrash(database.db, {
				boardId: world.boardId,
				trashId: entry!.id,
				userId: manager.id,
				role: 'manager'
			})
		).toEqual({ ok: false, reason: 'not_found' });

		expect(
			await restoreFromTrash(database.db, {
				boardId: board,
				trashId: entry!.id,
				userId: world.editor.id,
				role: 'member'
			})
		).toEqual({ ok: true, cardId: target });
		await waitFor(() => cardsMap(a.c.doc).has(target), 'back on the sender');
		await waitFor(() => cardsMap(b.c.doc).has(target), 'back on the other replica');
		expect(content(a.c.doc)).toEqual(before);
		expect(content(b.c.doc)).toEqual(before);
		await waitFor(
			async () => (await liveRows(board)).some((row) => row.id === target),
			'projection row live again'
		);
		expect(await eventsOf(board, target)).toEqual(eventsBefore);
		expect(await listTrash(database.db, board)).toEqual([]);
		// Restoring twice is refused: the entry is used.
		expect(
			(
				await restoreFromTrash(database.db, {
					boardId: board,
					trashId: entry!.id,
					userId: manager.id,
					role: 'manager'
				})
			).ok
		).toBe(false);
	});
});
