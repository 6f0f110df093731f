/**
 * The stand-up room's TV over the real sync server: a display link admits a viewer of its one
 * board (its writes dropped, never another board), and revoking it closes the open socket with
 * the permanent "no access" code; a revoked or forged link is refused as "not signed in".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCard, readCards } from '../../src/lib/board/document';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import {
	createDisplayLink,
	DISPLAY_COOKIE,
	displaySessionId,
	revokeDisplayLink,
	validateDisplayToken
} from '../../src/lib/server/display-link';
import { notifyAccessChanged } from '../../src/lib/server/sync/access-changes';
import { CloseCode } from '../../src/lib/sync/protocol';
import { connectClient, type TestClient } from '../helpers/sync-client';
import { startSyncHarness, waitFor, type SyncHarness } from '../helpers/sync-harness';
import { seedSyncWorld, type SyncWorld } from '../helpers/sync-seed';
import { openTestDatabase } from '../helpers/test-database';

let database: OpenDatabase;
let harness: SyncHarness;
let world: SyncWorld;
const clients: TestClient[] = [];

function display(token: string, boardId = world.boardId): TestClient {
	const c = connectClient(harness, boardId, { cookie: `${DISPLAY_COOKIE}=${token}` });
	clients.push(c);
	return c;
}

async function newLink(boardId = world.boardId) {
	return createDisplayLink(database.db, { boardId, createdBy: world.editor.id, label: 'Tv:n' });
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

describe('display links on the sync server', () => {
	it('admits the TV as a viewer of its board: it sees edits, its own writes are dropped', async () => {
		const link = await newLink();
		const tv = display(link.token);
		const editor = connectClient(harness, world.boardId, { token: world.editor.token });
		clients.push(editor);
		await waitFor(() => tv.provider.synced && editor.provider.synced, 'both synced');
		expect(tv.access).toEqual({ role: 'viewer', canEdit: false });

		const seen = createCard(editor.doc, { title: 'Från mötet', userId: world.editor.id });
		await waitFor(() => readCards(tv.doc).some((c) => c.id === seen), 'the TV sees the edit');
		const dropped = createCard(tv.doc, { title: 'Från tv:n', userId: 'tv' });
		const later = createCard(editor.doc, { title: 'Efteråt', userId: world.editor.id });
		await waitFor(() => readCards(tv.doc).some((c) => c.id === later), 'the TV sees a later edit');
		await waitFor(() => editor.saved, 'editor saved');
		expect(readCards(editor.doc).some((c) => c.id === dropped)).toBe(false);
		const stored = await database.db
			.selectFrom('cards')
			.select('id')
			.where('board_id', '=', world.boardId)
			.where('id', '=', dropped)
			.executeTakeFirst();
		expect(stored).toBeUndefined();
	});

	it('never reaches another board, even of the same team', async () => {
		const link = await newLink();
		const elsewhere = display(link.token, world.otherTeamBoardId);
		await waitFor(() => elsewhere.closeCodes.length > 0, 'closed');
		expect(elsewhere.closeCodes[0]).toBe(CloseCode.noSuchBoard);
		expect(elsewhere.provider.synced).toBe(false);
	});

	it('closes the open socket with 4403 when revoked, and the client stops retrying', async () => {
		const link = await newLink();
		const tv = display(link.token);
		await waitFor(() => tv.provider.synced, 'synced');
		expect(await revokeDisplayLink(database.db, world.boardId, link.id)).toBe(true);
		await notifyAccessChanged({ sessionId: displaySessionId(link.id) });
		await waitFor(() => tv.closeCodes.includes(CloseCode.forbidden), 'closed with 4403');
		// Permanent: y-websocket does not reconnect after 44xx.
		await waitFor(() => !tv.provider.shouldConnect, 'stopped retrying');
		expect(tv.closeCodes).toEqual([CloseCode.forbidden]);
	});

	it('refuses a revoked or forged link as not signed in, and leaves other links working', async () => {
		const revoked = await newLink();
		const kept = await newLink();
		await revokeDisplayLink(database.db, world.boardId, revoked.id);
		expect(await validateDisplayToken(database.db, revoked.token)).toBeNull();
		const again = display(revoked.token);
		const forged = display('a'.repeat(32));
		await waitFor(
			() => again.closeCodes.length > 0 && forged.closeCodes.length > 0,
			'both refused'
		);
		expect(again.closeCodes[0]).toBe(CloseCode.unauthenticated);
		expect(forged.closeCodes[0]).toBe(CloseCode.unauthenticated);
		const other = display(kept.token);
		await waitFor(() => other.provider.synced, 'the other link still works');
	});

	it("revoking one board's link is refused for another board", async () => {
		const link = await newLink();
		expect(await revokeDisplayLink(database.db, world.otherTeamBoardId, link.id)).toBe(false);
		expect(await validateDisplayToken(database.db, link.token)).not.toBeNull();
	});
});
