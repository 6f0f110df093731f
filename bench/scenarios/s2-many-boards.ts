/**
 * S2: many boards at once. B boards × 5 clients, 100 cards each, every client moves a card every
 * 5 s (random phase). Figures: propagation p50/p99 over all deliveries, server CPU per delivered
 * message, server RSS per loaded board.
 */
import * as Y from 'yjs';
import { moveStamped, observeStamps, seedCards } from '../lib/board';
import type { SyncClient } from '../lib/clients';
import {
	checkBoardGates,
	connectMany,
	destroyAll,
	waitForCards,
	type ScenarioContext
} from '../lib/harness';
import { startPeer, type Peer } from '../lib/peers';
import { collectGarbage, round, sleep, summarize, waitUntil } from '../lib/stats';

const CLIENTS_PER_BOARD = 5;
const CARDS = 100;
const MOVE_EVERY_MS = 5000;

export async function runS2(context: ScenarioContext): Promise<void> {
	const boards = context.full ? 200 : 60;
	const seconds = context.full ? 60 : 10;
	for (const peerId of context.peers) {
		const peer = await startPeer(peerId, context.peerContext);
		try {
			await measure(context, peer, boards, seconds);
		} finally {
			await peer.stop();
			collectGarbage(); // the previous peer's replicas must not crowd the next one's
		}
	}
}

async function measure(context: ScenarioContext, peer: Peer, boards: number, seconds: number) {
	const baseline = await peer.server.usage({ gc: true });
	const rooms = await peer.rooms(boards);
	const groups: SyncClient[][] = [];
	for (const [index, room] of rooms.entries()) {
		const userId = peer.tillit?.editors[0]!.id ?? 'bench-writer';
		let initialState: Uint8Array | undefined;
		if (peer.stateless) {
			const doc = new Y.Doc();
			seedCards(doc, CARDS, { userId, batch: CARDS });
			initialState = Y.encodeStateAsUpdate(doc);
		}
		const firstDoc = new Y.Doc();
		if (initialState) Y.applyUpdate(firstDoc, initialState);
		const first = peer.connect(room, firstDoc, { editor: index });
		await first.synced;
		if (!peer.stateless) seedCards(first.doc, CARDS, { userId, batch: CARDS });
		const rest = await connectMany(peer, room, CLIENTS_PER_BOARD - 1, {
			initialState,
			editorOffset: index + 1
		});
		groups.push([first, ...rest]);
	}
	const allDocs = groups.flat().map((client) => client.doc);
	if (!(await waitForCards(allDocs, CARDS, 60_000)))
		throw new Error(`${peer.id}: not every client got its board`);
	const loaded = await peer.server.usage({ gc: true });

	const sentAt: number[] = [];
	const latencies: number[] = [];
	let measuring = true;
	const unsubscribe = groups.flatMap((group) =>
		group.map((client) =>
			observeStamps(client.doc, (seq) => {
				if (measuring) latencies.push(performance.now() - sentAt[seq]!);
			})
		)
	);
	const before = await peer.server.usage({ resetLoopDelay: true });
	const timers: NodeJS.Timeout[] = [];
	const userIds = peer.tillit?.editors.map((editor) => editor.id) ?? ['bench-writer'];
	for (const [boardIndex, group] of groups.entries()) {
		for (const [clientIndex, client] of group.entries()) {
			const userId = userIds[(boardIndex + clientIndex) % userIds.length]!;
			const move = () => {
				const seq = sentAt.length;
				sentAt.push(performance.now());
				moveStamped(client.doc, `c${Math.floor(Math.random() * CARDS)}`, userId, seq);
			};
			const start = setTimeout(() => {
				move();
				timers.push(setInterval(move, MOVE_EVERY_MS));
			}, Math.random() * MOVE_EVERY_MS);
			timers.push(start);
		}
	}
	await sleep(seconds * 1000);
	for (const timer of timers) clearInterval(timer);
	const expected = sentAt.length * (CLIENTS_PER_BOARD - 1);
	await waitUntil(() => latencies.length >= expected, 10_000, 20);
	measuring = false;
	const after = await peer.server.usage();
	for (const stop of unsubscribe) stop();

	const summary = summarize(latencies);
	const cpuMicros = after.cpuMicros - before.cpuMicros;
	const rssPerBoardKB = (loaded.rssBytes - baseline.rssBytes) / 1024 / boards;
	context.report.record({
		scenario: 'S2',
		peer: peer.id,
		boards,
		clients: boards * CLIENTS_PER_BOARD,
		moves: sentAt.length,
		deliveries: latencies.length,
		missing: expected - latencies.length,
		p50: round(summary.p50, 3),
		p99: round(summary.p99, 3),
		max: round(summary.max, 3),
		cpuMicrosPerDelivery: round(cpuMicros / Math.max(1, latencies.length), 1),
		serverCpuPercent: round((cpuMicros / (seconds * 1e6)) * 100, 1),
		rssPerBoardKB: round(rssPerBoardKB, 0),
		serverRssMB: round(loaded.rssBytes / 1024 ** 2, 1),
		loopP99: round(after.loopDelayP99Ms, 2),
		loopMax: round(after.loopDelayMaxMs, 2)
	});
	process.stdout.write(
		`   S2 ${peer.id.padEnd(10)} ${boards} boards  p50 ${summary.p50.toFixed(2)} ms  p99 ${summary.p99.toFixed(2)} ms  cpu ${(cpuMicros / Math.max(1, latencies.length)).toFixed(1)} µs/delivery  rss ${rssPerBoardKB.toFixed(0)} KB/board  loop p99 ${after.loopDelayP99Ms.toFixed(1)} max ${after.loopDelayMaxMs.toFixed(1)} ms\n`
	);

	await waitUntil(
		() =>
			groups.every(
				(group) =>
					new Set(group.map((c) => Buffer.from(Y.encodeStateVector(c.doc)).toString('hex')))
						.size === 1
			),
		10_000,
		50
	);
	for (const [index, group] of groups.entries()) {
		await checkBoardGates(
			'S2',
			peer,
			rooms[index]!,
			group.map((client) => client.doc),
			CARDS
		);
	}
	for (const group of groups) destroyAll(group);
}
