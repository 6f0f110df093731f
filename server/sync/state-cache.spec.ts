import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCard, moveCard } from '../../src/lib/board/document';
import { MessageType } from '../../src/lib/sync/protocol';
import { foldUpdates } from '../../src/lib/server/projection/store';
import { DocumentStateCache } from './state-cache';

const NOW = 1_800_000_000_000;

/**
 * A board document whose every update reaches the cache, as the room wires it. Folds run on this
 * thread (the worker's twin, foldUpdates) when the test releases them.
 */
function board() {
	const doc = new Y.Doc();
	const folds: { updates: readonly Uint8Array[]; release: () => void }[] = [];
	const cache = new DocumentStateCache(
		doc,
		(updates) =>
			new Promise((resolve) =>
				folds.push({ updates, release: () => resolve(foldUpdates(updates)) })
			)
	);
	doc.on('update', (update: Uint8Array) => cache.extend(update));
	return { doc, cache, folds };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A fresh replica joining: applies the server's answer as the y-websocket client does. */
function join(cache: DocumentStateCache, replica = new Y.Doc()): Y.Doc {
	for (const message of cache.syncStep2For(Y.encodeStateVector(replica))) {
		const decoder = decoding.createDecoder(message);
		expect(decoding.readVarUint(decoder)).toBe(MessageType.sync);
		syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), replica, 'server');
	}
	return replica;
}

function sameDocument(a: Y.Doc, b: Y.Doc): boolean {
	const bytes = (doc: Y.Doc) => Buffer.from(Y.encodeStateAsUpdate(doc)).toString('hex');
	return (
		Buffer.from(Y.encodeStateVector(a)).equals(Buffer.from(Y.encodeStateVector(b))) &&
		bytes(a) === bytes(b)
	);
}

describe('DocumentStateCache', () => {
	it('answers fresh joiners with the whole document while updates keep arriving', () => {
		const { doc, cache } = board();
		const ids = Array.from({ length: 40 }, (_, n) =>
			createCard(doc, { title: `Kort ${n}`, userId: 'u', now: NOW })
		);
		expect(sameDocument(join(cache), doc)).toBe(true);
		// A few moves: joiners get the moves since, as one more message, before the cached state,
		// so the replica holds everything once the SyncStep2 (its "synced") arrives.
		for (const [n, id] of ids.slice(0, 3).entries()) {
			moveCard(doc, id, { stage: 'plan', index: n, userId: 'u', now: NOW + n });
		}
		const answer = cache.syncStep2For(Y.encodeStateVector(new Y.Doc()));
		expect(answer).toHaveLength(2);
		const step2 = decoding.createDecoder(answer[1]!);
		decoding.readVarUint(step2);
		expect(decoding.readVarUint(step2)).toBe(syncProtocol.messageYjsSyncStep2);
		expect(sameDocument(join(cache), doc)).toBe(true);
	});

	it('folds a long tail on the worker, answering joiners from state + tail until it returns', async () => {
		const { doc, cache, folds } = board();
		const ids = Array.from({ length: 40 }, (_, n) =>
			createCard(doc, { title: `Kort ${n}`, userId: 'u', now: NOW })
		);
		join(cache); // the first join of a board never stored encodes it (small)
		for (const stage of ['do', 'plan'] as const) {
			for (const [n, id] of ids.entries()) {
				moveCard(doc, id, { stage, index: n, userId: 'u', now: NOW + 100 + n });
			}
		}
		expect(folds).toHaveLength(0); // nobody joined: the tail just grows (up to a bound)
		// A joiner finds it long: it gets state + the tail, one update at a time, and a fold starts.
		expect(sameDocument(join(cache), doc)).toBe(true);
		expect(folds).toHaveLength(1);
		moveCard(doc, ids[0]!, { stage: 'check', index: 0, userId: 'u', now: NOW + 500 });
		expect(sameDocument(join(cache), doc)).toBe(true); // still state + the whole tail
		expect(folds).toHaveLength(1); // one fold at a time
		folds[0]!.release();
		await settle();
		// The folded state, then only the move made while the fold ran.
		const answer = cache.syncStep2For(Y.encodeStateVector(new Y.Doc()));
		expect(answer).toHaveLength(2);
		expect(sameDocument(join(cache), doc)).toBe(true);
	});

	it('gives a replica that holds part of the document its exact difference', () => {
		const { doc, cache } = board();
		createCard(doc, { title: 'Först', userId: 'u', now: NOW });
		const replica = join(cache);
		createCard(doc, { title: 'Sedan', userId: 'u', now: NOW + 1 });
		const answer = cache.syncStep2For(Y.encodeStateVector(replica));
		expect(answer).toHaveLength(1);
		expect(sameDocument(join(cache, replica), doc)).toBe(true);
	});

	it('gives the document as it is now as state + tail (a version point), without encoding it', () => {
		const { doc, cache } = board();
		const id = createCard(doc, { title: 'Kort', userId: 'u', now: NOW });
		expect(cache.stateAndTail()).toBeNull(); // never stored, never joined: nothing cached
		join(cache);
		moveCard(doc, id, { stage: 'plan', index: 0, userId: 'u', now: NOW + 1 });
		const now = cache.stateAndTail()!;
		expect(now.tail).toHaveLength(1);
		const point = new Y.Doc();
		Y.applyUpdate(point, foldUpdates([now.state, ...now.tail]).state);
		expect(sameDocument(point, doc)).toBe(true);
	});

	it('answers the first joiner after a load with the stored bytes, not a new encoding', () => {
		// What Postgres holds: a snapshot and two log rows.
		const writer = new Y.Doc();
		const ids = Array.from({ length: 10 }, (_, n) =>
			createCard(writer, { title: `Kort ${n}`, userId: 'u', now: NOW })
		);
		const snapshot = Y.encodeStateAsUpdate(writer);
		const rows: Uint8Array[] = [];
		writer.on('update', (update: Uint8Array) => rows.push(update));
		moveCard(writer, ids[0]!, { stage: 'plan', index: 0, userId: 'u', now: NOW + 1 });
		moveCard(writer, ids[1]!, { stage: 'do', index: 0, userId: 'u', now: NOW + 2 });
		// The room loads them and seeds its cache with the same bytes.
		const { doc, cache } = board();
		for (const update of [snapshot, ...rows]) Y.applyUpdate(doc, update);
		cache.seed([snapshot, ...rows]);
		const answer = cache.syncStep2For(Y.encodeStateVector(new Y.Doc()));
		expect(answer).toHaveLength(2); // the log rows, then the snapshot as SyncStep2
		const step2 = decoding.createDecoder(answer[1]!);
		decoding.readVarUint(step2);
		expect(decoding.readVarUint(step2)).toBe(syncProtocol.messageYjsSyncStep2);
		expect(Buffer.from(decoding.readVarUint8Array(step2)).equals(Buffer.from(snapshot))).toBe(true);
		expect(sameDocument(join(cache), doc)).toBe(true);
		expect(sameDocument(join(cache), writer)).toBe(true);
	});

	it('refuses an unreadable state vector', () => {
		const { cache } = board();
		expect(() => cache.syncStep2For(new Uint8Array([0xff, 0xff, 0xff]))).toThrow();
	});
});
