/**
 * A loaded board's document, encoded whole, kept between joins: encoding a 1,000-card document
 * costs tens of milliseconds of event-loop time (10,000 cards: hundreds), and at a stand-up
 * every member of a team joins within seconds, each asking for the whole board. So the encoding
 * is made once and kept while updates arrive: a joiner gets the updates applied since (merged into
 * one small sync update) and then the cached encoding as its SyncStep2. The tail goes FIRST so
 * that "synced" (the client's reaction to SyncStep2) still means "holds everything the server
 * held": Yjs keeps the tail's structs pending until the state they build on arrives. Past a quarter of the state's size
 * (or MAX_TAIL_UPDATES) the tail is dropped and the next join encodes the document afresh.
 * Merging the tail into the state instead was measured: Y.mergeUpdates of a 600 KB state plus
 * ten moves takes longer than encoding the document again.
 *
 * A board just loaded starts with the stored bytes as its encoding (seed), so a cold join encodes
 * nothing either.
 *
 * Only a joiner with an empty state vector (a fresh replica: every page load) is answered from
 * the cache; a client that already holds part of the document gets its exact difference.
 */
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MessageType } from '../../src/lib/sync/protocol';

/** Past this many updates in the tail, the next request encodes the document afresh. */
const MAX_TAIL_UPDATES = 256;

export class DocumentStateCache {
	#state: Uint8Array | null = null;
	/**
	 * The SyncStep2 message carrying #state. Once it exists, #state is a view into it: one copy of
	 * the document's bytes per board, not two (S2 measures memory per loaded board).
	 */
	#step2: Uint8Array | null = null;
	#tail: Uint8Array[] = [];
	#tailBytes = 0;
	/** The tail merged into one sync update message, until the next update. */
	#tailMessage: Uint8Array | null = null;

	constructor(private readonly doc: Y.Doc) {}

	/**
	 * The stored updates the document was just loaded from (snapshot first, then the log): they
	 * are its encoding already, so the first joiner after a load (every cold join) is answered
	 * without encoding the document (~20 ms at 1,000 cards, ~200 ms at 10,000).
	 */
	seed(stored: readonly Uint8Array[]): void {
		const [first, ...tail] = stored;
		if (!first) return;
		this.#drop();
		this.#state = first;
		for (const update of tail) this.extend(update); // past the tail's bounds: encoded on demand
	}

	/** An update the document applied (the room calls this for every one, in order). */
	extend(update: Uint8Array): void {
		if (!this.#state) return;
		this.#tail.push(update);
		this.#tailBytes += update.byteLength;
		this.#tailMessage = null;
		if (this.#tail.length > MAX_TAIL_UPDATES || this.#tailBytes * 4 > this.#state.byteLength) {
			this.#drop();
		}
	}

	/** A seeded or encoded state is at hand: a fresh replica's answer needs no encoding now. */
	get hasState(): boolean {
		return this.#state !== null;
	}

	/** The whole document as one update, now (what compaction stores). */
	fullState(): Uint8Array {
		if (this.#state && this.#tail.length === 0) return this.#state;
		this.#drop();
		this.#state = Y.encodeStateAsUpdate(this.doc);
		return this.#state;
	}

	/**
	 * The messages answering a client's SyncStep1 with `stateVector`, SyncStep2 last: for a fresh
	 * replica the updates since the cached encoding (if any), then the encoding. Throws if the
	 * state vector cannot be read (the caller treats that as a malformed message).
	 */
	syncStep2For(stateVector: Uint8Array): Uint8Array[] {
		if (Y.decodeStateVector(stateVector).size > 0) {
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, MessageType.sync);
			syncProtocol.writeSyncStep2(encoder, this.doc, stateVector);
			return [encoding.toUint8Array(encoder)];
		}
		if (!this.#state) this.fullState();
		if (!this.#step2) {
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, MessageType.sync);
			encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
			encoding.writeVarUint8Array(encoder, this.#state!);
			this.#step2 = encoding.toUint8Array(encoder);
			this.#state = this.#step2.subarray(this.#step2.byteLength - this.#state!.byteLength);
		}
		if (this.#tail.length === 0) return [this.#step2];
		if (!this.#tailMessage) {
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, MessageType.sync);
			syncProtocol.writeUpdate(
				encoder,
				this.#tail.length === 1 ? this.#tail[0]! : Y.mergeUpdates(this.#tail)
			);
			this.#tailMessage = encoding.toUint8Array(encoder);
		}
		return [this.#tailMessage, this.#step2];
	}

	/**
	 * What a replica holds after receiving both `a` and `b`: per client, the larger clock. Throws
	 * if either cannot be read.
	 */
	static mergeStateVectors(a: Uint8Array, b: Uint8Array): Uint8Array {
		const merged = Y.decodeStateVector(a);
		for (const [client, clock] of Y.decodeStateVector(b)) {
			merged.set(client, Math.max(clock, merged.get(client) ?? 0));
		}
		return Y.encodeStateVector(merged);
	}

	#drop(): void {
		this.#state = null;
		this.#step2 = null;
		this.#tail = [];
		this.#tailBytes = 0;
		this.#tailMessage = null;
	}
}
