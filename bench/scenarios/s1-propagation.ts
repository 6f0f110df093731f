/**
 * S1: one 1,000-card board, one writer moving cards at 20/s, N observers. Propagation writer →
 * observer (one process, performance.now(), no clock skew) and server CPU per delivered message.
 */
import * as Y from 'yjs';
import { moveStamped, observeStamps, seedCards } from '../lib/board';
import {
	checkBoardGates,
	connectMany,
	destroyAll,
	waitForCards,
	type ScenarioContext
} from '../lib/harness';
import { startPeer, type Peer } from '../lib/peers';
import { collectGarbage, round, sleep, summarize, waitUntil } from '../lib/stats';
import { checkViewerReadOnly } from '../lib/viewer-gate';

const CARDS = 1000;
const RATE_PER_SECOND = 20;

export async function runS1(context: ScenarioContext): Promise<void> {
	// BENCH_S1_N=100 (comma-separated) measures only those observer counts (profiling).
	const observerCounts = process.env.BENCH_S1_N?.split(',').map(Number) ?? [1, 10, 100];
	const seconds = context.full ? 30 : 5;
	for (const n of observerCounts) {
		for (const peerId of context.peers) {
			const peer = await startPeer(peerId, context.peerContext);
			try {
				await measure(context, peer, n, seconds);
			} finally {
				await peer.stop();
				collectGarbage(); // the previous peer's replicas must not crowd the next one's
			}
		}
	}
}

async function measure(context: ScenarioContext, peer: Peer, n: number, seconds: number) {
	const [room] = await peer.rooms(1);
	const userId = peer.tillit?.editors[0]!.id ?? 'bench-writer';
	let initialState: Uint8Array | undefined;
	const writerDoc = new Y.Doc();
	if (peer.stateless) {
		seedCards(writerDoc, CARDS, { userId });
		initialState = Y.encodeStateAsUpdate(writerDoc);
	}
	const writer = peer.connect(room!, writerDoc, { editor: 0 });
	await writer.synced;
	if (!peer.stateless) seedCards(writerDoc, CARDS, { userId });
	const observers = await connectMany(peer, room!, n, { initialState, editorOffset: 1 });
	const docs = [writerDoc, ...observers.map((o) => o.doc)];
	if (!(await waitForCards(docs, CARDS)))
		throw new Error(`${peer.id}: observers never got the board`);

	const total = Math.round(seconds * RATE_PER_SECOND);
	const warmup = RATE_PER_SECOND; // one second unmeasured
	const sentAt = new Float64Array(warmup + total).fill(Number.NaN);
	const arrivals = observers.map(() => new Float64Array(warmup + total).fill(Number.NaN));
	const unsubscribe = observers.map((observer, index) =>
		observeStamps(observer.doc, (seq) => {
			const now = performance.now();
			if (seq >= 0 && seq < sentAt.length && Number.isNaN(arrivals[index]![seq]!))
				arrivals[index]![seq] = now;
		})
	);
	const cardIds = [...Array(CARDS).keys()].map((k) => `c${k}`);
	const interval = 1000 / RATE_PER_SECOND;
	let before = await peer.server.usage();
	const startedAt = performance.now();
	for (let seq = 0; seq < warmup + total; seq++) {
		const due = startedAt + seq * interval;
		const wait = due - performance.now();
		if (wait > 1) await sleep(wait);
		if (seq === warmup) before = await peer.server.usage({ resetLoopDelay: true });
		sentAt[seq] = performance.now();
		moveStamped(writerDoc, cardIds[Math.floor(Math.random() * CARDS)]!, userId, seq);
	}
	const last = warmup + total - 1;
	await waitUntil(() => arrivals.every((a) => !Number.isNaN(a[last]!)), 10_000, 5);
	const after = await peer.server.usage();
	for (const stop of unsubscribe) stop();

	const latencies: number[] = [];
	let missing = 0;
	for (const arrival of arrivals) {
		for (let seq = warmup; seq <= last; seq++) {
			if (Number.isNaN(arrival[seq]!)) missing++;
			else latencies.push(arrival[seq]! - sentAt[seq]!);
		}
	}
	const summary = summarize(latencies);
	const cpuMicros = after.cpuMicros - before.cpuMicros;
	context.report.record({
		scenario: 'S1',
		peer: peer.id,
		observers: n,
		moves: total,
		deliveries: latencies.length,
		missing,
		p50: round(summary.p50, 3),
		p95: round(summary.p95, 3),
		p99: round(summary.p99, 3),
		max: round(summary.max, 3),
		cpuMicrosPerDelivery: round(cpuMicros / Math.max(1, latencies.length), 1),
		serverRssMB: round(after.rssBytes / 1024 ** 2, 1),
		loopP99: round(after.loopDelayP99Ms, 2),
		loopMax: round(after.loopDelayMaxMs, 2)
	});
	process.stdout.write(
		`   S1 ${peer.id.padEnd(10)} N=${String(n).padStart(3)}  p50 ${summary.p50.toFixed(2)} ms  p99 ${summary.p99.toFixed(2)} ms  max ${summary.max.toFixed(1)} ms  cpu ${(cpuMicros / Math.max(1, latencies.length)).toFixed(1)} µs/delivery  loop p99 ${after.loopDelayP99Ms.toFixed(1)} max ${after.loopDelayMaxMs.toFixed(1)} ms${missing ? `  MISSING ${missing}` : ''}\n`
	);

	await waitUntil(
		() =>
			new Set(docs.map((doc) => Buffer.from(Y.encodeStateVector(doc)).toString('hex'))).size === 1,
		10_000,
		50
	);
	await checkBoardGates('S1', peer, room!, docs, CARDS);
	await checkViewerReadOnly('S1', peer, room!, docs);
	writer.destroy();
	destroyAll(observers);
}
