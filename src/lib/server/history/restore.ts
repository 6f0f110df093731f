/**
 * Restoring a version of a board (issue 13): the version's content is written into the LIVE
 * document as one new change — cards that differ are rewritten, cards the version lacks are
 * deleted, cards it has are put back — so it is broadcast, stored and projected like any edit, every
 * replica converges on it, and nothing in the history is rewritten. The document as it was just
 * before is kept as a version of its own, so restoring is undone by restoring that one.
 * Framework-free.
 */
import type { Kysely } from 'kysely';
import * as Y from 'yjs';
import { build, copyNode, writeCard } from '../../board/card-copy';
import { cardsMap, countCards, settingsMap } from '../../board/document';
import { editBoardDocument } from '../board-edit';
import type { Database } from '../db/schema';
import { loadVersionState, recordVersion } from './versions';

export type VersionRestoreOutcome =
	| { ok: true; cardsChanged: number; undoVersionId: string }
	| { ok: false; reason: 'no_version' | 'no_board' };

const same = (a: unknown, b: unknown) =>
	JSON.stringify(copyNode(a)) === JSON.stringify(copyNode(b));

/** Makes `doc`'s cards and settings equal to `target`'s; returns how many cards changed. */
export function applyContent(doc: Y.Doc, target: Y.Doc): number {
	const live = cardsMap(doc);
	const then = cardsMap(target);
	let changed = 0;
	for (const id of [...live.keys()]) {
		if (!then.has(id)) {
			live.delete(id);
			changed++;
		}
	}
	then.forEach((card, id) => {
		if (live.has(id) && same(live.get(id), card)) return;
		writeCard(doc, id, copyNode(card));
		changed++;
	});
	const settings = settingsMap(doc);
	const settingsThen = settingsMap(target);
	for (const key of [...settings.keys()]) if (!settingsThen.has(key)) settings.delete(key);
	settingsThen.forEach((value, key) => {
		if (!settings.has(key) || !same(settings.get(key), value)) {
			settings.set(key, build(copyNode(value)));
		}
	});
	return changed;
}

export async function restoreVersion(
	db: Kysely<Database>,
	input: { boardId: string; versionId: string; userId: string }
): Promise<VersionRestoreOutcome> {
	const state = await loadVersionState(db, input.boardId, input.versionId);
	if (!state) return { ok: false, reason: 'no_version' };
	return restoreState(db, { ...input, state });
}

/** Writes `state`'s content over the live board (restore, and the undo of an import). */
export async function restoreState(
	db: Kysely<Database>,
	input: { boardId: string; userId: string; state: Uint8Array }
): Promise<VersionRestoreOutcome> {
	const target = new Y.Doc();
	try {
		Y.applyUpdate(target, input.state);
		const edited = await editBoardDocument(db, input.boardId, { userId: input.userId }, (doc) => ({
			before: Y.encodeStateAsUpdate(doc),
			cardCountBefore: countCards(doc),
			changed: applyContent(doc, target)
		}));
		if (!edited.ok) return { ok: false, reason: 'no_board' };
		const undoVersionId = await recordVersion(db, {
			boardId: input.boardId,
			kind: 'restore',
			createdBy: input.userId,
			activeUserIds: [input.userId],
			cardsChanged: edited.value.changed,
			state: edited.value.before,
			cardCount: edited.value.cardCountBefore
		});
		return { ok: true, cardsChanged: edited.value.changed, undoVersionId };
	} finally {
		target.destroy();
	}
}

/** A manager's named version of the board as it is now. */
export async function saveNamedVersion(
	db: Kysely<Database>,
	input: { boardId: string; userId: string; name: string }
): Promise<{ ok: true; versionId: string } | { ok: false; reason: 'no_board' }> {
	const edited = await editBoardDocument(db, input.boardId, { userId: input.userId }, (doc) => ({
		state: Y.encodeStateAsUpdate(doc),
		cardCount: countCards(doc)
	}));
	if (!edited.ok) return { ok: false, reason: 'no_board' };
	const versionId = await recordVersion(db, {
		boardId: input.boardId,
		kind: 'named',
		name: input.name,
		createdBy: input.userId,
		activeUserIds: [input.userId],
		...edited.value
	});
	return { ok: true, versionId };
}
