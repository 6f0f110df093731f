/**
 * The protocol handling with a fake socket and an in-memory store: no network, no database. The
 * integration tests cover the same server with real sockets; these pin the rules that are hard to
 * provoke from a stock client (ack order, held frames, slow consumers, awareness bounds).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { colourForUser } from '../../src/lib/board/client/presence';
import { createCard, readCards } from '../../src/lib/board/document';
import { createLogger } from '../../src/lib/server/log';
import type { BoardStore, CommitBatch } from '../../src/lib/server/projection/store';
import {
	encodeAwarenessMessage,
	encodeSyncStep1,
	encodeSyncUpdate
} from '../../src/lib/sync/messages';
import { CloseCode, MessageType } from '../../src/lib/sync/protocol';
import { encodeAwarenessEntries } from './awareness-guard';
import { BoardConnection, type ConnectionIdentity } from './board-connection';
import { foldUpdates } from '../../src/lib/server/projection/store';
import { BoardRoom } from './board-room';
import { DEFAULT_SYNC_OPTIONS, type SyncServerOptions } from './options';
import type { SyncSocket } from './socket';

class FakeSocket implements SyncSocket {
	sent: Uint8Array[] = [];
	closedWith: number | null = null;
	bufferedAmount = 0;
	send(data: Uint8Array) {
		this.sent.push(data);
	}
	close(code: number) {
		this.closedWith ??= code;
	}
	terminate() {
		this.closedWith ??= 1006;
	}
	ping() {}
	/** Types of the messages sent, in order. */
	get types(): number[] {
		return this.sent.map((m) => decoding.readVarUint(decoding.createDecoder(m)));
	}
	/** The sync step (0 = SyncStep1, 1 = SyncStep2, 2 = Update) of each sync message sent. */
	get syncSteps(): number[] {
		return this.sent
			.map((m) => decoding.createDecoder(m))
			.filter((d) => decoding.readVarUint(d) === MessageType.sync)
			.map((d) => decoding.readVarUint(d));
	}
	/** A document built from every SyncStep2 and Update sent to this socket. */
	replica(): Y.Doc {
		const doc = new Y.Doc();
		for (const message of this.sent) {
			const decoder = decoding.createDecoder(message);
			if (decoding.readVarUint(decoder) !== MessageType.sync) continue;
			if (decoding.readVarUint(decoder) === 0) continue;
			Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
		}
		return doc;
	}
	get persistedCounts(): number[] {
		return this.sent
			.map((m) => decoding.createDecoder(m))
			.filter((d) => decoding.readVarUint(d) === MessageType.persisted)
			.map((d) => decoding.readVarUint(d));
	}
}

/** An in-memory store whose commits complete when the test says so. */
class FakeStore implements BoardStore {
	batches: CommitBatch[] = [];
	#pending: (() => void)[] = [];
	autoCommit = true;
	/** What Postgres holds for the board (snapshot first). */
	stored: Uint8Array[] = [];
	async loadBoard() {
		return {
			updates: this.stored,
			snapshotLastSeq: null,
			tailSeqs: [],
			tailRows: 0,
			tailBytes: 0,
			projection: [],
			lastEvents: new Map()
		};
	}
	async commit(batch: CommitBatch) {
		if (!this.autoCommit) await new Promise<void>((resolve) => this.#pending.push(resolve));
		this.batches.push(batch);
	}
	commitAll() {
		for (const resolve of this.#pending.splice(0)) resolve();
	}
	async compact() {
		return { compacted: false as const, reason: 'nothing-to-fold' as const };
	}
	async boardExists() {
		return true;
	}
}

const log = createLogger({ level: 'silent' });

function identity(canEdit: boolean): ConnectionIdentity {
	return {
		boardId: 'b1',
		teamId: 't1',
		userId: canEdit ? 'editor' : 'viewer',
		userName: 'Test',
		sessionId: 's1',
		role: canEdit ? 'member' : 'viewer',
		canEdit
	};
}

async function setup(overrides: Partial<SyncServerOptions> = {}) {
	const store = new FakeStore();
	const options = { ...DEFAULT_SYNC_OPTIONS, ...overrides, store };
	const room = new BoardRoom('b1', 't1', {
		store,
		log,
		options,
		onEmpty: () => {},
		onGone: () => {},
		fold: async (updates) => foldUpdates(updates)
	});
	const connect = (canEdit: boolean) => {
		const socket = new FakeSocket();
		const connection = new BoardConnection(socket, identity(canEdit), room, options, log);
		room.join(connection);
		return { socket, connection };
	};
	return { store, room, connect };
}

function cardUpdate(title: string): Uint8Array {
	const doc = new Y.Doc();
	createCard(doc, { title, userId: 'editor' });
	return encodeSyncUpdate(Y.encodeStateAsUpdate(doc));
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('BoardConnection', () => {
	it('holds frames and sends nothing until the board is loaded, then handles them in order', async () => {
		const { room, connect } = await setup();
		const editor = connect(true);
		const viewer = connect(false);
		editor.connection.receive(cardUpdate('Väntade'), true);
		viewer.connection.receive(encodeSyncStep1(new Y.Doc()), true); // what a client sends on open
		expect(editor.socket.sent).toHaveLength(0);
		expect(viewer.socket.sent).toHaveLength(0);
		await room.load();
		expect(editor.socket.types.slice(0, 2)).toEqual([MessageType.access, MessageType.sync]);
		expect(editor.socket.syncSteps[0]).toBe(0); // SyncStep1: "send me what I lack"
		expect(readCards(room.doc).map((c) => c.title)).toEqual(['Väntade']);
		// The viewer is not asked for its state (its answer would be dropped) but receives the card.
		expect(viewer.socket.types[0]).toBe(MessageType.access);
		expect(viewer.socket.syncSteps).not.toContain(0);
		expect(readCards(viewer.socket.replica()).map((c) => c.title)).toEqual(['Väntade']);
	});

	it('sends a waiting joiner the stored state before the load finishes, and no second copy after', async () => {
		const { room, store, connect } = await setup();
		const stored = new Y.Doc();
		for (const title of ['Ett', 'Två', 'Tre']) createCard(stored, { title, userId: 'editor' });
		store.stored = [Y.encodeStateAsUpdate(stored)];
		store.autoCommit = false; // the load's projection repair waits here, the board not ready
		const editor = connect(true);
		editor.connection.receive(encodeSyncStep1(new Y.Doc()), true); // sent on open, before the state
		const loading = room.load();
		await flush();
		expect(room.ready).toBe(false);
		expect(editor.socket.types).toEqual([MessageType.access, MessageType.sync]);
		expect(editor.socket.syncSteps).toEqual([1]); // SyncStep2: what the client's "synced" waits for
		const early = editor.socket.replica();
		expect(
			readCards(early)
				.map((c) => c.title)
				.sort()
		).toEqual(['Ett', 'Tre', 'Två']);
		const bytesBefore = editor.socket.sent.reduce((sum, m) => sum + m.byteLength, 0);
		store.commitAll();
		await loading;
		expect(room.ready).toBe(true);
		// Its SyncStep1 (empty: sent before the state arrived) is answered with what is newer only.
		const later = editor.socket.sent.slice(2).reduce((sum, m) => sum + m.byteLength, 0);
		expect(later).toBeLessThan(bytesBefore / 4);
		expect(editor.socket.syncSteps.filter((step) => step === 1)).toHaveLength(2);
		expect(Y.encodeStateVector(editor.socket.replica())).toEqual(Y.encodeStateVector(room.doc));
	});

	it('drops a viewer’s updates without applying, storing or broadcasting them', async () => {
		const { room, store, connect } = await setup();
		await room.load();
		const viewer = connect(false);
		const editor = connect(true);
		editor.socket.sent = [];
		viewer.connection.receive(cardUpdate('Åskådarens'), true);
		await flush();
		expect(readCards(room.doc)).toEqual([]);
		expect(store.batches).toEqual([]);
		expect(editor.socket.sent).toEqual([]);
		expect(viewer.connection.droppedViewerWrites).toBe(1);
		expect(viewer.socket.closedWith).toBeNull();
	});

	it('acknowledges in order: a no-op after a pending update waits for that update’s commit', async () => {
		const { room, store, connect } = await setup();
		await room.load();
		store.autoCommit = false;
		const editor = connect(true);
		const update = cardUpdate('Först');
		editor.connection.receive(update, true); // #1: new, queued
		editor.connection.receive(update, true); // #2: nothing new
		await flush();
		expect(editor.socket.persistedCounts).toEqual([]);
		store.commitAll();
		await new Promise((resolve) => setTimeout(resolve, 0));
		await flush();
		// #2 sat in the queue behind #1's write: both are confirmed by that commit, in order.
		expect(editor.socket.persistedCounts).toEqual([1, 2]);
		editor.connection.receive(update, true); // #3: nothing new, nothing pending: at once
		expect(editor.socket.persistedCounts).toEqual([1, 2, 3]);
	});

	it('closes text frames and bad frames with 4400, oversized ones with 4413', async () => {
		const { room, connect } = await setup({ maxMessageBytes: 1_000 });
		await room.load();
		const text = connect(true);
		text.connection.receive(new Uint8Array([0]), false);
		expect(text.socket.closedWith).toBe(CloseCode.badMessage);
		const unknown = connect(true);
		unknown.connection.receive(new Uint8Array([9, 9]), true);
		expect(unknown.socket.closedWith).toBe(CloseCode.badMessage);
		const big = connect(true);
		big.connection.receive(new Uint8Array(1_001), true);
		expect(big.socket.closedWith).toBe(CloseCode.messageTooLarge);
		expect(room.connections.size).toBe(0);
	});

	it('closes a slow consumer with 1013 instead of buffering without bound', async () => {
		const { room, connect } = await setup({ maxBufferedBytes: 10 });
		await room.load();
		const slow = connect(false);
		const editor = connect(true);
		slow.socket.bufferedAmount = 11;
		editor.connection.receive(cardUpdate('Till alla'), true);
		expect(slow.socket.closedWith).toBe(CloseCode.tryAgainLater);
		expect(editor.socket.closedWith).toBeNull();
	});

	it('bounds awareness: size, rate, and how many client ids one connection speaks for', async () => {
		const { room, connect } = await setup({
			maxAwarenessBytes: 200,
			awarenessBurst: 2,
			awarenessPerSecond: 0.001,
			maxAwarenessClientsPerConnection: 1
		});
		await room.load();
		// Each message one clock newer than the last: an older or equal clock is an echo, ignored.
		let clock = 0;
		const awarenessFrom = (clientId: number, state: object) =>
			encodeAwarenessMessage(encodeAwarenessEntries([{ clientId, clock: ++clock, state }]));
		const a = connect(true);
		const b = connect(true);
		a.connection.receive(awarenessFrom(101, { name: 'A' }), true);
		// What the room relays is the session's identity, not the client's claim.
		expect(room.awareness.getStates().get(101)).toEqual({
			user: { id: 'editor', name: 'Test', colour: colourForUser('editor') },
			editing: null
		});
		a.connection.receive(awarenessFrom(102, { name: 'A2' }), true); // a second id: refused
		expect(room.awareness.getStates().has(102)).toBe(false);
		a.connection.receive(awarenessFrom(101, { name: 'A3' }), true); // over the rate: dropped
		expect(a.connection.droppedAwareness).toBe(2);
		b.connection.receive(awarenessFrom(103, { name: 'x'.repeat(300) }), true);
		expect(b.socket.closedWith).toBe(CloseCode.messageTooLarge);
		a.connection.close({ code: CloseCode.normal, reason: 'bye' });
		expect(room.awareness.getStates().has(101)).toBe(false); // presence leaves with its socket
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MessageType.awareness);
		encoding.writeVarUint8Array(encoder, new Uint8Array([1, 5, 1, 3, 65, 66, 67]));
		const c = connect(true);
		c.connection.receive(encoding.toUint8Array(encoder), true);
		expect(c.socket.closedWith).toBe(CloseCode.badMessage);
	});
});
