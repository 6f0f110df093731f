/**
 * What an incoming update is about to delete, read BEFORE it is applied: Yjs has no undelete (a
 * deleted card's content is gone from the document after the transaction), so the board room
 * copies the cards an update will delete while they still exist. The copies put the cards back
 * when the mass-deletion guard refuses the update (src/lib/server/history/deletion-guard.ts), and
 * go to the board's trash when it allows it (src/lib/server/trash.ts).
 *
 * Only the update's delete set is read (not the whole board), so an ordinary edit — typing, which
 * deletes characters — costs a look at the few structs it deletes.
 */
import * as Y from 'yjs';
import { copyNode, writeCard, type CardNode } from '../../src/lib/board/card-copy';
import { cardsMap } from '../../src/lib/board/document';
import type { Role } from '../../src/lib/roles';
import { judgeDeletion } from '../../src/lib/server/history/deletion-guard';
import type { DeletionRefusal } from '../../src/lib/sync/deletion-refused';
import type { UpdateDeletes } from './update-gate';

export interface PendingDeletion {
	/** The cards' Y.Maps as they are now, with their content copied. */
	cards: Map<string, { map: Y.Map<unknown>; copy: CardNode }>;
	cardsBefore: number;
}

/**
 * The cards whose entry an update's delete set (`inspectUpdate(update).deletes`, update-gate.ts)
 * removes, copied; null when it removes none.
 */
export function cardsUpdateWouldDelete(doc: Y.Doc, ds: UpdateDeletes): PendingDeletion | null {
	if (ds.clients.size === 0) return null;
	const cards = cardsMap(doc);
	const found = new Map<string, { map: Y.Map<unknown>; copy: CardNode }>();
	for (const [client, ranges] of ds.clients) {
		const structs = doc.store.clients.get(client);
		if (!structs || structs.length === 0) continue;
		const last = structs[structs.length - 1]!;
		const end = last.id.clock + last.length;
		for (const range of ranges) {
			if (range.clock >= end) continue;
			let index = Y.findIndexSS(structs, range.clock);
			for (; index < structs.length; index++) {
				const struct = structs[index]!;
				if (struct.id.clock >= range.clock + range.len) break;
				if (!(struct instanceof Y.Item) || struct.deleted || struct.parent !== cards) continue;
				const key = struct.parentSub;
				const value = key === null ? undefined : cards.get(key);
				if (key !== null && value instanceof Y.Map && value._item === struct) {
					found.set(key, { map: value, copy: copyNode(value) });
				}
			}
		}
	}
	return found.size === 0 ? null : { cards: found, cardsBefore: cards.size };
}

/** The ids of the pending cards the applied update really removed (their key is gone). */
export function removedCards(doc: Y.Doc, pending: PendingDeletion): string[] {
	const cards = cardsMap(doc);
	return [...pending.cards.keys()].filter((id) => !cards.has(id));
}

/** Puts removed cards back with the content they had (call inside a server transaction). */
export function putBack(doc: Y.Doc, pending: PendingDeletion, cardIds: readonly string[]): void {
	for (const id of cardIds) {
		const card = pending.cards.get(id);
		if (card) writeCard(doc, id, card.copy);
	}
}

export interface DeletionOutcome {
	/** Set when the guard refused the update: the cards are back (inside the caller's context). */
	refused: DeletionRefusal | null;
	/** Cards the update deleted and the guard allowed: they go to the trash. */
	trashed: { id: string; copy: CardNode }[];
}

/**
 * After the update is applied: judges what it removed and, if refused, puts it back in a server
 * transaction (`origin`), which the room's apply context collects into the same write.
 */
export function guardDeletion(
	doc: Y.Doc,
	pending: PendingDeletion,
	senderRole: Role | null,
	origin: unknown
): DeletionOutcome {
	const removed = removedCards(doc, pending);
	const verdict = judgeDeletion({
		deleted: removed.length,
		cardsBefore: pending.cardsBefore,
		senderRole
	});
	if (verdict.kind === 'refuse') {
		doc.transact(() => putBack(doc, pending, removed), origin);
		return { refused: { deleted: verdict.deleted, limit: verdict.limit }, trashed: [] };
	}
	return {
		refused: null,
		trashed: removed.map((id) => ({ id, copy: pending.cards.get(id)!.copy }))
	};
}
