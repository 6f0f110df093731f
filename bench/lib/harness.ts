/** Shared steps of the scenarios: context, joining many clients, waiting for content. */
import * as Y from 'yjs';
import { cardsMap, readCards } from '../../src/lib/board/document';
import type { SyncClient } from './clients';
import { checkConvergence, checkNoDuplicate, recordGate } from './gates';
import type { Peer, PeerContext, PeerId } from './peers';
import type { Report } from './report';
import { waitUntil } from './stats';
import { readProjection } from './tillit-fixture';

export interface ScenarioContext {
	peers: PeerId[];
	peerContext: PeerContext;
	full: boolean;
	report: Report;
}

/** Connects `count` clients to `room`, at most `parallel` handshakes at a time. */
export async function connectMany(
	peer: Peer,
	room: string,
	count: number,
	options: { initialState?: Uint8Array; parallel?: number; editorOffset?: number } = {}
): Promise<SyncClient[]> {
	const clients: SyncClient[] = [];
	const parallel = options.parallel ?? 16;
	for (let start = 0; start < count; start += parallel) {
		const wave: SyncClient[] = [];
		for (let n = start; n < Math.min(count, start + parallel); n++) {
			const doc = new Y.Doc();
			if (options.initialState) Y.applyUpdate(doc, options.initialState);
			wave.push(peer.connect(room, doc, { editor: (options.editorOffset ?? 0) + n }));
		}
		await Promise.all(wave.map((client) => client.synced));
		clients.push(...wave);
	}
	return clients;
}

export function cardCount(doc: Y.Doc): number {
	return cardsMap(doc).size;
}

/** Waits until every doc holds `expected` cards; answers whether they did within `timeoutMs`. */
export function waitForCards(docs: readonly Y.Doc[], expected: number, timeoutMs = 30_000) {
	return waitUntil(() => docs.every((doc) => cardCount(doc) >= expected), timeoutMs, 25);
}

/**
 * The content gates for one board: convergence over `docs`, no card twice in the first, and for
 * Tillit the projection equal to the document (polled: the projection trails the broadcast).
 */
export async function checkBoardGates(
	scenario: string,
	peer: Peer,
	room: string,
	docs: readonly Y.Doc[],
	expectedCards: number
): Promise<void> {
	const converged = checkConvergence(docs);
	recordGate({ scenario, peer: peer.id, gate: 'converge', ...converged });
	recordGate({
		scenario,
		peer: peer.id,
		gate: 'no-duplicate',
		...checkNoDuplicate(docs[0]!, expectedCards)
	});
	if (peer.tillit) {
		const db = peer.tillit.db;
		const doc = docs[0]!;
		const expected = () =>
			JSON.stringify(
				readCards(doc)
					.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
					.map((card) => [card.id, card.stage, card.title])
			);
		let last = '';
		const equal = await waitUntil(
			async () => {
				const rows = await readProjection(db, room);
				last = JSON.stringify(rows.map((row) => [row.id, row.stage, row.title]));
				return last === expected();
			},
			20_000,
			200
		);
		recordGate({
			scenario,
			peer: peer.id,
			gate: 'projection',
			ok: equal,
			detail: equal
				? `${cardsMap(doc).size} cards projected as in the document`
				: `projection differs from the document (${(JSON.parse(last) as unknown[]).length} rows vs ${cardsMap(doc).size} cards)`
		});
	}
}

export function destroyAll(clients: readonly SyncClient[]): void {
	for (const client of clients) client.destroy();
}
