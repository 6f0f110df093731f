/**
 * The sync server end to end: stock y-websocket clients (Node, `ws`, real session cookies and
 * Origin) against the real server on port 0 and a real database (PGlite or Postgres).
 */
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cardText, createCard, moveCard, readCards } from '../../src/lib/board/document';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import { createSession, SESSION_LIFETIME_MS } from '../../src/lib/server/session';
import {
	createBoardStore,
	getBoardDocumentState,
	type BoardStore
} from '../../src/lib/server/projection/store';
import { encodeSyncUpdate, KEEPALIVE_MESSAGE } from '../../src/lib/sync/messages';
import { CloseCode, MessageType } from '../../src/lib/sync/protocol';
import { satisfyGates } from '../helpers/lifecycle';
import { connectClient, connectRaw, waitOpen, type TestClient } from '../helpers/sync-client';
import { startSyncHarness, waitFor, type SyncHarness } from '../helpers/sync-harness';
import { seedSyncWorld, type SyncWorld } from '../helpers/sync-seed';
import { openTestDatabase } from '../helpers/test-database';
import { seedBoard } from '../helpers/seed';

const MAX_MESSAGE_BYTES = 64 * 1024;
const OPTIONS = { maxMessageBytes: MAX_MESSAGE_BYTES, keepaliveIdleMs: 300, tickMs: 100 };

let database: OpenDatabase;
let harness: SyncHarness;
let world: SyncWorld;
const clients: TestClient[] = [];

function client(boardId: string, token: string | undefined, origin?: string): TestClient {
	const c = connectClient(harness, boardId, { token, ...(origin ? { origin } : {}) });
	clients.push(c);
	return c;
}

/** Cards in id order: map iteration order differs between replicas. */
function cardsOf(doc: Y.Doc) {
	return readCards(doc).sort((a, b) => (a.id < b.id ? -1 : 1));
}

function stateOf(doc: Y.Doc): string {
	return Buffer.from(Y.encodeStateVector(doc)).toString('hex');
}

beforeAll(async () => {
	database = await openTestDatabase();
	world = await seedSyncWorld(database.db);
	harness = await startSyncHarness(database, OPTIONS);
});

afterAll(async () => {
	for (const c of clients) c.destroy();
	await harness.close();
	await database.close();
});

describe('sync server', () => {
	it('makes two editors converge on the same document', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const alice = client(board, world.editor.token);
		const bob = client(board, world.editor2.token);
		await waitFor(() => alice.provider.synced && bob.provider.synced, 'both synced');
		const fromAlice = createCard(alice.doc, { title: 'Kortare väntetid', userId: world.editor.id });
		const fromBob = createCard(bob.doc, { title: 'Tydligare schema', userId: world.editor2.id });
		await waitFor(
			() => readCards(alice.doc).length === 2 && readCards(bob.doc).length === 2,
			'both cards everywhere'
		);
		// Both type into the same title at once: the texts merge.
		cardText(alice.doc, fromBob, 'title')!.insert(0, 'A ');
		cardText(bob.doc, fromBob, 'title')!.insert(0, 'B ');
		await waitFor(() => stateOf(alice.doc) === stateOf(bob.doc), 'same state vectors');
		expect(cardsOf(alice.doc)).toEqual(cardsOf(bob.doc));
		const title = readCards(alice.doc).find((c) => c.id === fromBob)!.title;
		expect(title).toContain('A ');
		expect(title).toContain('B ');
		expect(
			readCards(alice.doc)
				.map((c) => c.id)
				.sort()
		).toEqual([fromAlice, fromBob].sort());
		await waitFor(() => alice.saved && bob.saved, 'both saved');
		const stored = new Y.Doc();
		Y.applyUpdate(stored, await getBoardDocumentState(database.db, board));
		expect(cardsOf(stored)).toEqual(cardsOf(alice.doc));
	});

	it('never applies or stores a viewer’s update, while the viewer still receives everyone else’s', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const editor = client(board, world.editor.token);
		const viewer = client(board, world.viewer.token);
		await waitFor(() => editor.provider.synced && viewer.provider.synced, 'both synced');
		expect(viewer.access).toEqual({ role: 'viewer', canEdit: false });
		expect(editor.access).toEqual({ role: 'member', canEdit: true });

		const sneaky = createCard(viewer.doc, { title: 'Från en åskådare', userId: world.viewer.id });
		const honest = createCard(editor.doc, { title: 'Från en redigerare', userId: world.editor.id });
		await waitFor(
			() => readCards(viewer.doc).some((c) => c.id === honest),
			'viewer receives the editor’s card'
		);
		await waitFor(() => editor.saved, 'editor saved');
		expect(readCards(editor.doc).map((c) => c.id)).toEqual([honest]);
		const stored = new Y.Doc();
		Y.applyUpdate(stored, await getBoardDocumentState(database.db, board));
		expect(readCards(stored).map((c) => c.id)).toEqual([honest]);
		expect(readCards(stored).some((c) => c.id === sneaky)).toBe(false);
		// A late joiner sees only what was stored and broadcast: no trace of the viewer's card.
		const late = client(board, world.editor2.token);
		await waitFor(() => late.provider.synced, 'late joiner synced');
		expect(readCards(late.doc).map((c) => c.id)).toEqual([honest]);
	});

	it('keeps exactly one card with one consistent place when two editors move it at once', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const alice = client(board, world.editor.token);
		const bob = client(board, world.editor2.token);
		await waitFor(() => alice.provider.synced && bob.provider.synced, 'both synced');
		const id = createCard(alice.doc, { title: 'Omstridd', userId: world.editor.id });
		satisfyGates(alice.doc, id);
		alice.doc.transact(() => {
			const neighbour = createCard(alice.doc, {
				title: 'Granne',
				userId: world.editor.id,
				stage: 'do'
			});
			satisfyGates(alice.doc, neighbour); // created straight into Do: the gates apply
		});
		await waitFor(() => readCards(bob.doc).length === 2, 'bob has both cards');
		// Both move before either hears of the other's move.
		alice.doc.transact(() =>
			moveCard(alice.doc, id, { stage: 'plan', index: 0, userId: world.editor.id })
		);
		bob.doc.transact(() =>
			moveCard(bob.doc, id, { stage: 'do', index: 0, userId: world.editor2.id })
		);
		await waitFor(() => stateOf(alice.doc) === stateOf(bob.doc), 'converged');
		const cards = cardsOf(alice.doc);
		expect(cards.filter((c) => c.id === id)).toHaveLength(1);
		expect(cardsOf(bob.doc)).toEqual(cards);
		const moved = cards.find((c) => c.id === id)!;
		// Stage and mover come from the same move, never mixed.
		expect([
			['plan', world.editor.id],
			['do', world.editor2.id]
		]).toContainEqual([moved.stage, moved.movedBy]);
	});

	it('loads a board once for joiners who arrive together, and sends nothing before it is loaded', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const real = createBoardStore(database.db);
		let loads = 0;
		let releaseLoad!: () => void;
		const loadGate = new Promise<void>((resolve) => (releaseLoad = resolve));
		const gated: BoardStore = {
			...real,
			async loadBoard(boardId) {
				loads++;
				await loadGate;
				return real.loadBoard(boardId);
			}
		};
		const server = harness.restart({ ...OPTIONS, store: gated });
		try {
			const first = connectRaw(harness, board, { token: world.editor.token });
			const second = connectRaw(harness, board, { token: world.editor2.token });
			await Promise.all([waitOpen(first), waitOpen(second)]);
			await waitFor(() => loads === 1, 'the load started');
			expect(first.messages).toHaveLength(0);
			expect(second.messages).toHaveLength(0);
			releaseLoad();
			await waitFor(() => first.messages.length > 0 && second.messages.length > 0, 'both greeted');
			expect(loads).toBe(1);
			expect(server.loadedBoards()).toEqual([board]);
			first.socket.close();
			second.socket.close();
		} finally {
			releaseLoad();
			harness.restart(OPTIONS);
		}
	});

	it('sends an idle client a message well before its 30 s watchdog would close it', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const raw = connectRaw(harness, board, { token: world.viewer.token });
		await waitOpen(raw);
		const isKeepalive = (m: Uint8Array) => Buffer.from(m).equals(Buffer.from(KEEPALIVE_MESSAGE));
		await waitFor(() => raw.messages.some(isKeepalive), 'a keepalive');
		expect(raw.isOpen).toBe(true);
		raw.socket.close();
	});
});

describe('bad frames', () => {
	async function openEditorSocket(board: string) {
		const raw = connectRaw(harness, board, { token: world.editor.token });
		await waitOpen(raw);
		await waitFor(() => raw.messages.length > 0, 'greeted');
		return raw;
	}

	it('closes a malformed frame with 4400 and keeps serving the others', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const bystander = client(board, world.editor2.token);
		await waitFor(() => bystander.provider.synced, 'bystander synced');

		const truncated = await openEditorSocket(board);
		truncated.socket.send(new Uint8Array([MessageType.sync, 2, 200])); // length 200, no bytes
		expect(await truncated.closed).toBe(CloseCode.badMessage);

		const garbage = await openEditorSocket(board);
		garbage.socket.send(encodeSyncUpdate(new Uint8Array([255, 255, 255, 1, 2, 3, 4])));
		expect(await garbage.closed).toBe(CloseCode.badMessage);

		const unknownType = await openEditorSocket(board);
		unknownType.socket.send(new Uint8Array([42, 0]));
		expect(await unknownType.closed).toBe(CloseCode.badMessage);

		const text = await openEditorSocket(board);
		text.socket.send('hello');
		expect(await text.closed).toBe(CloseCode.badMessage);

		const badAwareness = await openEditorSocket(board);
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MessageType.awareness);
		encoding.writeVarString(encoder, '\u0001\u0007\u0001{not json');
		badAwareness.socket.send(encoding.toUint8Array(encoder));
		expect(await badAwareness.closed).toBe(CloseCode.badMessage);

		// The board still works for everyone else.
		const other = client(board, world.editor.token);
		await waitFor(() => other.provider.synced, 'a new client synced');
		const id = createCard(other.doc, { title: 'Fortfarande igång', userId: world.editor.id });
		await waitFor(() => readCards(bystander.doc).some((c) => c.id === id), 'bystander receives');
	});

	it('closes an oversized frame with 4413 (not ws’s transient 1009)', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const raw = await openEditorSocket(board);
		const doc = new Y.Doc();
		createCard(doc, { title: 'x'.repeat(10), userId: world.editor.id });
		doc.getText('padding').insert(0, 'y'.repeat(MAX_MESSAGE_BYTES + 10));
		raw.socket.send(encodeSyncUpdate(Y.encodeStateAsUpdate(doc)));
		expect(await raw.closed).toBe(CloseCode.messageTooLarge);
		const stored = new Y.Doc();
		Y.applyUpdate(stored, await getBoardDocumentState(database.db, board));
		expect(readCards(stored)).toEqual([]);
	});
});

describe('admission', () => {
	it('refuses a cross-origin upgrade with 4403', async () => {
		const raw = connectRaw(harness, world.boardId, {
			token: world.editor.token,
			origin: 'https://evil.example'
		});
		expect(await raw.closed).toBe(CloseCode.forbidden);
	});

	it('refuses a missing or expired session with 4401', async () => {
		expect(await connectRaw(harness, world.boardId, {}).closed).toBe(CloseCode.unauthenticated);
		const longAgo = new Date(Date.now() - SESSION_LIFETIME_MS - 60_000);
		const { token } = await createSession(database.db, world.editor.id, longAgo);
		expect(await connectRaw(harness, world.boardId, { token }).closed).toBe(
			CloseCode.unauthenticated
		);
	});

	it('refuses an unknown board with 4404 and another team’s board with 4403', async () => {
		expect(
			await connectRaw(harness, 'brd_does_not_exist', { token: world.editor.token }).closed
		).toBe(CloseCode.noSuchBoard);
		expect(
			await connectRaw(harness, world.otherTeamBoardId, { token: world.editor.token }).closed
		).toBe(CloseCode.forbidden);
		expect(await connectRaw(harness, world.boardId, { token: world.outsider.token }).closed).toBe(
			CloseCode.forbidden
		);
	});

	it('answers upgrades past the admission limit with 1013 (try again later), not a queue', async () => {
		harness.restart({ ...OPTIONS, maxConcurrentAdmissions: 0 });
		try {
			const raw = connectRaw(harness, world.boardId, { token: world.editor.token });
			expect(await raw.closed).toBe(CloseCode.tryAgainLater);
		} finally {
			harness.restart(OPTIONS);
		}
		const admitted = connectRaw(harness, world.boardId, { token: world.editor.token });
		await waitOpen(admitted);
		await waitFor(() => admitted.messages.length > 0, 'greeted once the limit allows it');
		expect(admitted.isOpen).toBe(true);
		admitted.socket.close();
	});

	it('makes the stock client stop retrying after a permanent refusal', async () => {
		const c = client(world.boardId, undefined);
		await waitFor(() => c.closeCodes.length > 0 && !c.provider.shouldConnect, 'provider gave up');
		expect(c.closeCodes).toEqual([CloseCode.unauthenticated]);
	});
});
