/**
 * The viewer gate (Tillit only): a viewer's connection tries to add a card and move one; neither
 * may reach the other replicas, a later joiner or the projection.
 */
import * as Y from 'yjs';
import { cardsMap, readPlace } from '../../src/lib/board/document';
import { moveStamped, seedCards } from './board';
import { recordGate } from './gates';
import type { Peer } from './peers';
import { sleep, within } from './stats';
import { readProjection } from './tillit-fixture';

export async function checkViewerReadOnly(
	scenario: string,
	peer: Peer,
	room: string,
	watchers: readonly Y.Doc[]
): Promise<void> {
	if (!peer.tillit) return;
	const viewerId = peer.tillit.viewer.id;
	const viewer = peer.connect(room, new Y.Doc(), { viewer: true });
	await within(viewer.synced, 10_000, undefined);
	const [target] = [...cardsMap(viewer.doc).keys()];
	const prefix = `viewer-${Date.now().toString(36)}-`;
	seedCards(viewer.doc, 1, { userId: viewerId, prefix });
	if (target) moveStamped(viewer.doc, target, viewerId);
	await sleep(1500);
	const joiner = peer.connect(room, new Y.Doc(), { editor: 0 });
	await within(joiner.synced, 10_000, undefined);
	await sleep(200);
	const leaked: string[] = [];
	for (const [index, doc] of [...watchers, joiner.doc].entries()) {
		const who = index === watchers.length ? 'a later joiner' : `replica ${index}`;
		if (cardsMap(doc).has(`${prefix}0`)) leaked.push(`${who} has the viewer's card`);
		const moved = target ? cardsMap(doc).get(target) : undefined;
		if (moved && readPlace(moved.get('place')).movedBy === viewerId)
			leaked.push(`${who} has the viewer's move`);
	}
	const projected = await readProjection(peer.tillit.db, room);
	if (projected.some((row) => row.id === `${prefix}0`)) leaked.push('the projection has it');
	viewer.destroy();
	joiner.destroy();
	recordGate({
		scenario,
		peer: peer.id,
		gate: 'viewer-read-only',
		ok: leaked.length === 0,
		detail:
			leaked.length === 0
				? `viewer's add + move not applied (viewer close codes: ${viewer.closeCodes.join(',') || 'none'})`
				: leaked.join('; ')
	});
}
