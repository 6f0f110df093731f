/**
 * What the server checks in an editor's update BEFORE applying it, and what it needs to know
 * AFTER: whether the update is fully part of the document yet.
 *
 * Before: Yjs has no rollback, so anything refused must be refused before Y.applyUpdate. The
 * update is decoded (structs and delete set, no document touched) and refused when it creates a
 * top-level type the board does not have, adds a card under an id no row can hold, or would take
 * the board past its card count or document size. The sender is closed with a permanent code.
 *
 * After: an update whose history the server never saw (a struct whose origin is missing, a delete
 * of structs it does not have) is parked by Yjs as "pending". Whether THIS update is in the
 * document is read from its own needs: the highest clock it carries per client, structs and
 * deletes alike, against the document's state vector. So one sender's dangling update holds only
 * its own "saved", never everyone's.
 */
import * as Y from 'yjs';
import { cardsMap } from '../../src/lib/board/document';
import { DOCUMENT_ROOTS, isDocumentId } from '../../src/lib/board/limits';
import { CloseReasons, type CloseReason } from './close-reasons';

/** An update that changes nothing (no structs, no deletes): a place in the writer's queue. */
export const EMPTY_UPDATE: Uint8Array = new Uint8Array([0, 0]);

/** Per client id: the document must have every clock below this for the update to be in it. */
export type UpdateNeeds = Map<number, number>;

export interface InspectedUpdate {
	needs: UpdateNeeds;
	/** Top-level types the update writes into directly. */
	roots: Set<string>;
	/** Keys the update sets directly in the cards map. */
	cardKeys: Set<string>;
	/** What the update deletes (deletion-watch.ts reads it: decoded once, here). */
	deletes: UpdateDeletes;
}

export type UpdateDeletes = ReturnType<typeof Y.decodeUpdate>['ds'];

/** Null when Yjs cannot decode it (the caller closes the sender with 4400). */
export function inspectUpdate(update: Uint8Array): InspectedUpdate | null {
	let decoded: ReturnType<typeof Y.decodeUpdate>;
	try {
		decoded = Y.decodeUpdate(update);
	} catch {
		return null;
	}
	const needs: UpdateNeeds = new Map();
	const need = (client: number, end: number) => {
		if (end > (needs.get(client) ?? 0)) needs.set(client, end);
	};
	const roots = new Set<string>();
	const cardKeys = new Set<string>();
	for (const struct of decoded.structs) {
		if (struct instanceof Y.Skip) continue; // a gap in the update, not content
		need(struct.id.client, struct.id.clock + struct.length);
		if (!(struct instanceof Y.Item)) continue;
		// Only an item without neighbours names its parent; a root's name is a string.
		const parent: unknown = struct.parent;
		if (typeof parent !== 'string') continue;
		roots.add(parent);
		if (parent === 'cards' && typeof struct.parentSub === 'string') cardKeys.add(struct.parentSub);
	}
	for (const [client, deletes] of decoded.ds.clients) {
		for (const range of deletes) need(client, range.clock + range.len);
	}
	return { needs, roots, cardKeys, deletes: decoded.ds };
}

/** True when every struct and delete the update carries is in the document (none pending). */
export function isIntegrated(doc: Y.Doc, needs: UpdateNeeds): boolean {
	for (const [client, end] of needs) {
		if (Y.getState(doc.store, client) < end) return false;
	}
	return true;
}

/** Bytes Yjs holds for updates waiting on history it does not have. */
export function pendingBytes(doc: Y.Doc): number {
	return (
		(doc.store.pendingStructs?.update.byteLength ?? 0) + (doc.store.pendingDs?.byteLength ?? 0)
	);
}

/** Forgets every pending update (their senders still hold them and send them again). */
export function dropPending(doc: Y.Doc): void {
	doc.store.pendingStructs = null;
	doc.store.pendingDs = null;
}

export interface DocumentLimits {
	maxCards: number;
	maxDocumentBytes: number;
}

/**
 * The structural and size checks. The document's size is tracked as an upper bound (its encoded
 * size when first measured, plus every update applied since); only when that bound would pass the
 * limit is the document encoded again to measure it, so a growing board is measured rarely.
 */
export class DocumentBounds {
	#bytesAtMost: number | null;
	/** The bound when last measured (never, at first: the stored bytes are an estimate). */
	#measuredAt = Number.NEGATIVE_INFINITY;

	/**
	 * `storedBytes`: what the board was loaded from (snapshot + log). The document's encoding is
	 * not larger than the updates it was built from, so that is a bound to start from without
	 * encoding a just-loaded board (~150 ms for 10,000 cards) on its first update.
	 */
	constructor(
		private readonly doc: Y.Doc,
		private readonly limits: DocumentLimits,
		storedBytes: number | null = null
	) {
		this.#bytesAtMost = storedBytes;
	}

	/** Null when the update may be applied; otherwise why it is refused. */
	admit(inspected: InspectedUpdate, updateBytes: number): CloseReason | null {
		for (const root of inspected.roots) {
			if (!DOCUMENT_ROOTS.has(root)) return CloseReasons.unknownRoot;
		}
		const cards = cardsMap(this.doc);
		let added = 0;
		for (const key of inspected.cardKeys) {
			if (!isDocumentId(key)) return CloseReasons.invalidCardId;
			if (!cards.has(key)) added++;
		}
		if (added > 0 && cards.size + added > this.limits.maxCards) return CloseReasons.tooManyCards;
		if (this.#wouldExceed(updateBytes)) return CloseReasons.boardTooLarge;
		return null;
	}

	/** An update of `bytes` went into the document. */
	applied(bytes: number): void {
		if (this.#bytesAtMost !== null) this.#bytesAtMost += bytes;
	}

	#wouldExceed(updateBytes: number): boolean {
		const max = this.limits.maxDocumentBytes;
		if (this.#bytesAtMost === null || this.#bytesAtMost + updateBytes > max) {
			// Measure again only when the bound has grown by an eighth of the limit since: near the
			// limit, refusals must not cost one full encode each.
			if (this.#bytesAtMost === null || this.#bytesAtMost - this.#measuredAt > max / 8) {
				this.#bytesAtMost = Y.encodeStateAsUpdate(this.doc).byteLength;
				this.#measuredAt = this.#bytesAtMost;
			}
		}
		return this.#bytesAtMost + updateBytes > max;
	}
}
