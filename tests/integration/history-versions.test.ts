/**
 * Board history (issue 13): version points are kept (named, and at the first change of an hour of
 * activity), previewed read-only, and restored as a new change that every replica — two stock
 * y-websocket clients here — converges on; restoring the "before" point undoes the restore.
 */
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cardsMap, createCard, deleteCard } from '../../src/lib/board/document';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import { restoreVersion, saveNamedVersion } from '../../src/lib/server/history/restore';
import { listVersions, previewVersion } from '../../src/lib/server/history/versions';
import { getBoardDocumentState } from '../../src/lib/server/projection/store';
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

async function client(boardId: string, token: string) {
	const c = connectClient(harness, boardId, { token });
	clients.push(c);
	await waitFor(() => c.provider.synced, 'synced');
	return c;
}

const json = (doc: Y.Doc) => cardsMap(doc).toJSON();

async function stored(boardId: string) {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, await getBoardDocumentState(database.db, boardId));
	return json(doc);
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

describe('board history', () => {
	it('restores a version on every replica, and restoring the point before undoes it', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const { cardIds } = await seedBoardCards(database.db, board, 5, world.editor.id);
		const a = await client(board, manager.token);
		const b = await client(board, world.editor.token);

		const saved = await saveNamedVersion(database.db, {
			boardId: board,
			userId: manager.id,
			name: 'Innan städningen'
		});
		expect(saved.ok).toBe(true);
		const atVersion = json(a.doc);

		// Edits from both replicas: two deletions, a renamed card, a new card.
		deleteCard(a.doc, cardIds[0]!);
		deleteCard(a.doc, cardIds[1]!);
		const title = cardsMap(b.doc).get(cardIds[2]!)!.get('title') as Y.Text;
		title.insert(0, 'Ändrat: ');
		createCard(b.doc, { title: 'Nytt kort', userId: world.editor.id });
		await waitFor(() => a.saved && b.saved, 'edits saved');
		await waitFor(
			() => isDeepStrictEqual(json(a.doc), json(b.doc)),
			'replicas agree after the edits'
		);
		const afterEdits = json(a.doc);
		expect(Object.keys(afterEdits)).toHaveLength(4);

		// The first change of the hour kept the board as it was before it (folded off the loop, so
		// the point is written a moment after the change).
		await waitFor(
			async () => (await listVersions(database.db, board)).some((v) => v.kind === 'hourly'),
			'the hourly point'
		);
		const versions = await listVersions(database.db, board);
		const named = versions.find((v) => v.kind === 'named')!;
		expect(named).toMatchObject({ name: 'Innan städningen', createdByName: 'Chef', cardCount: 5 });
		expect(versions.filter((v) => v.kind === 'hourly').map((v) => v.cardCount)).toEqual([5]);

		const preview = await previewVersion(database.db, board, named.id);
		expect(preview!.map((card) => card.id).sort()).toEqual([...cardIds].sort());

		const restored = await restoreVersion(database.db, {
			boardId: board,
			versionId: named.id,
			userId: manager.id
		});
		expect(restored).toMatchObject({ ok: true, cardsChanged: 4 });
		await waitFor(() => Object.keys(json(a.doc)).length === 5, 'restored on A');
		await waitFor(() => isDeepStrictEqual(json(b.doc), json(a.doc)), 'restored on B');
		expect(json(a.doc)).toEqual(atVersion);
		expect(json(b.doc)).toEqual(atVersion);
		expect(await stored(board)).toEqual(atVersion);

		// Undo: the point kept just before the restore.
		if (!restored.ok) throw new Error('restore failed');
		const undone = await restoreVersion(database.db, {
			boardId: board,
			versionId: restored.undoVersionId,
			userId: manager.id
		});
		expect(undone.ok).toBe(true);
		await waitFor(() => Object.keys(json(a.doc)).length === 4, 'undone on A');
		await waitFor(() => isDeepStrictEqual(json(b.doc), json(a.doc)), 'undone on B');
		expect(json(b.doc)).toEqual(afterEdits);
		expect(await stored(board)).toEqual(afterEdits);
	});

	it('never restores or previews a version of another board', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const saved = await saveNamedVersion(database.db, {
			boardId: world.otherTeamBoardId,
			userId: manager.id,
			name: 'Annat team'
		});
		if (!saved.ok) throw new Error('save failed');
		expect(await previewVersion(database.db, board, saved.versionId)).toBeNull();
		expect(
			await restoreVersion(database.db, {
				boardId: board,
				versionId: saved.versionId,
				userId: manager.id
			})
		).toEqual({ ok: false, reason: 'no_version' });
		expect(await previewVersion(database.db, board, '1; drop table cards')).toBeNull();
	});
});
