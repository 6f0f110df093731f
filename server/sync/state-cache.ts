/**
 * A loaded board's document, encoded whole, kept between joins: encoding a 1,000-card document
 * costs milliseconds of event-loop time (10,000 cards: hundreds), and at a stand-up every member
 * of a team joins within seconds, each asking for the whole board. So the encoding is made once
 * and then extended with the updates applied since (merged in on the next request), and made
 * afresh only when that tail grows past a quarter of the state (merged updates keep content that
 * a fresh encoding would have collected). Compaction stores the same encoding as the snapshot.
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
	/** The SyncStep2 message carrying #state, made on the first join that needs it. */
	#step2: Uint8Array | null = null;
	#tail: Uint8Array[] = [];
	#tailBytes = 0;

	constructor(private readonly doc: Y.Doc) {}

	/** An update the document applied (the room calls this for every one, in order). */
	extend(update: Uint8Array): void {
		this.#step2 = null;
		if (!this.#state) return;
		this.#tail.push(update);
		this.#tailBytes += update.byteLength;
		if (this.#tail.length > MAX_TAIL_UPDATES || this.#tailBytes * 4 > this.#state.byteLength) {
			this.#state = null;
			this.#tail = [];
			this.#tailBytes = 0;
		}
	}

	/** The whole document as one update (the same content as Y.encodeStateAsUpdate). */
	fullState(): Uint8Array {
		if (!this.#state) {
			this.#state = Y.encodeStateAsUpdate(this.doc);
		} else if (this.#tail.length > 0) {
			this.#state = Y.mergeUpdates([this.#state, ...this.#tail]);
		}
		this.#tail = [];
		this.#tailBytes = 0;
		return this.#state;
	}

	/**
	 * The SyncStep2 message answering a client's SyncStep1 with `stateVector`. Throws if the state
	 * vector cannot be read (the caller treats that as a malformed message).
	 */
	syncStep2For(stateVector: Uint8Array): Uint8Array {
		if (Y.decodeStateVector(stateVector).size > 0) {
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, MessageType.sync);
			syncProtocol.writeSyncStep2(encoder, this.doc, stateVector);
			return encoding.toUint8Array(encoder);
		}
		if (!this.#step2) {
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, MessageType.sync);
			encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
			encoding.writeVarUint8Array(encoder, this.fullState());
			this.#step2 = encoding.toUint8Array(encoder);
		}
		return this.#step2;
	}
}
