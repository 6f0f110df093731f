/**
 * A loaded board's document, encoded whole, kept between joins: encoding a 1,000-card document
 * costs tens of milliseconds of event-loop time (10,000 cards: hundreds), and at a stand-up
 * every member of a team joins within seconds, each asking for the whole board. So the encoding
 * is made once and kept while updates arrive: a joiner gets the updates applied since (merged into
 * one small sync update) and then the cached encoding as its SyncStep2. The tail goes FIRST so
 * that "synced" (the client's reaction to SyncStep2) still means "holds everything the server
 * held": Yjs keeps the tail's structs pending until the state they build on arrives.
 *
 * The encoding is never made on the event loop once a board is loaded: a board starts with the
 * stored bytes it was loaded from (seed; unless their log is long), and state and tail are
 * folded into a new state on the fold worker (src/lib/server/projection/fold-worker.ts) when a joiner finds the tail long (past
 * a quarter of the state's size or MAX_TAIL_UPDATES), or when it grows far past that with nobody
 * joining (memory). Meanwhile joins are answered with the longer tail, sent update by update
 * (Y.mergeUpdates of a long tail on the loop was measured: slower than encoding the document
 * again). Only a board that was never stored encodes here, on its first join, when it is small.
 *
 * Only a joiner with an empty state vector (a fresh replica: every page load) is answered from
 * the cache; a client that already holds part of the document gets its exact difference.
 */
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { Folder } from '../../src/lib/server/projection/fold-worker';
import { MessageType } from '../../src/lib/sync/protocol';

/** Past this many updates in the tail, the state and tail are folded anew. */
const MAX_TAIL_UPDATES = 256;
/** With nobody joining, the tail is folded only once it is this many times the bounds (memory). */
const TAIL_IDLE_FOLD_FACTOR = 8;
/**
 * A fold that is slow to return (a busy worker) lets the tail grow to this many times the bounds;
 * past that the cache gives up and the next join encodes on the loop, as a last resort.
 */
const TAIL_HARD_LIMIT_FACTOR = 16;

/** The document at one moment: a state and the updates since (a version point folds them). */
export interface StateAndTail {
	state: Uint8Array;
	tail: Uint8Array[];
}

function syncUpdateMessage(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.sync);
	syncProtocol.writeUpdate(encoder, update);
	return encoding.toUint8Array(encoder);
}

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
	/** A fold of #state + the first part of #tail is on the worker. */
	#folding = false;
	/** Bumped whenever #state is replaced, so a fold that returns too late is ignored. */
	#generation = 0;

	constructor(
		private readonly doc: Y.Doc,
		private readonly fold: Folder,
		private readonly onFoldFailed: (error: unknown) => void = () => {}
	) {}

	/**
	 * The stored updates the document was just loaded from (snapshot first, then the log): they
	 * are its encoding already, so the first joiner after a load (every cold join) is answered
	 * without encoding the document (~20 ms at 1,000 cards, ~200 ms at 10,000).
	 */
	seed(stored: readonly Uint8Array[]): void {
		const [first, ...tail] = stored;
		if (!first) return;
		this.#replaceState(first);
		for (const update of tail) this.extend(update);
		// A long log (not compacted lately, e.g. a burst of big edits): sending it unmerged would
		// cost more than it saves (measured: 1.6 MB instead of 1.0 MB, S3 cold churned 373 → 543
		// ms), so the first join encodes the loaded document instead, once.
		if (this.#over(1)) this.#drop();
	}

	/** A seeded or encoded state is at hand: a fresh replica's answer needs no encoding now. */
	get hasState(): boolean {
		return this.#state !== null;
	}

	/** An update the document applied (the room calls this for every one, in order). */
	extend(update: Uint8Array): void {
		if (!this.#state) return;
		this.#tail.push(update);
		this.#tailBytes += update.byteLength;
		this.#tailMessage = null;
		if (this.#over(TAIL_HARD_LIMIT_FACTOR)) this.#drop();
		else if (this.#over(TAIL_IDLE_FOLD_FACTOR)) this.#foldTail();
	}

	/** The tail is past `factor` times its bounds (count, or a quarter of the state's bytes). */
	#over(factor: number): boolean {
		if (!this.#state) return false;
		return (
			this.#tail.length > MAX_TAIL_UPDATES * factor ||
			this.#tailBytes * 4 > this.#state.byteLength * factor
		);
	}

	/**
	 * The document now, as a state and the updates since, without encoding anything: what a
	 * version point keeps (folded on the worker). Null for a board that has no state yet.
	 */
	stateAndTail(): StateAndTail | null {
		return this.#state ? { state: this.#state, tail: [...this.#tail] } : null;
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
		return this.freshReplicaAnswer();
	}

	/** The answer for a replica that holds nothing: the updates since the state, then the state. */
	freshReplicaAnswer(): Uint8Array[] {
		// Only a board never stored (or one whose tail outran its folds) encodes here.
		if (!this.#state) this.#replaceState(Y.encodeStateAsUpdate(this.doc));
		if (!this.#step2) {
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, MessageType.sync);
			encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
			encoding.writeVarUint8Array(encoder, this.#state!);
			this.#step2 = encoding.toUint8Array(encoder);
			this.#state = this.#step2.subarray(this.#step2.byteLength - this.#state!.byteLength);
		}
		if (this.#tail.length === 0) return [this.#step2];
		if (this.#over(1)) {
			// Long: folded for the joiners to come; this one gets the updates one by one, unmerged.
			this.#foldTail();
			return [...this.#tail.map((update) => syncUpdateMessage(update)), this.#step2];
		}
		if (!this.#tailMessage) {
			this.#tailMessage = syncUpdateMessage(
				this.#tail.length === 1 ? this.#tail[0]! : Y.mergeUpdates(this.#tail)
			);
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

	/** Folds the state and the tail so far on the worker; updates arriving meanwhile stay in the tail. */
	#foldTail(): void {
		if (this.#folding || !this.#state) return;
		this.#folding = true;
		const generation = this.#generation;
		const folded = this.#tail.length;
		this.fold([this.#state, ...this.#tail])
			.then(({ state }) => {
				if (generation !== this.#generation) return; // replaced meanwhile (dropped, re-seeded)
				const rest = this.#tail.slice(folded);
				this.#replaceState(state);
				for (const update of rest) {
					this.#tail.push(update);
					this.#tailBytes += update.byteLength;
				}
			})
			.catch((error: unknown) => this.onFoldFailed(error))
			.finally(() => {
				this.#folding = false;
			});
	}

	#replaceState(state: Uint8Array): void {
		this.#drop();
		this.#state = state;
	}

	#drop(): void {
		this.#generation++;
		this.#state = null;
		this.#step2 = null;
		this.#tail = [];
		this.#tailBytes = 0;
		this.#tailMessage = null;
	}
}
