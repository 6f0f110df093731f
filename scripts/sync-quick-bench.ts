/**
 * A quick look at the sync server's speed (BENCHMARKS.md S1/S4 in miniature, not `npm run bench`):
 * one writer moves cards on a 1,000-card board at 20 moves/s while 10 observers watch, all stock
 * y-websocket clients in this one process against our server on the machine's real Postgres.
 * The writer stamps a sequence number into the document with each move; observers note its
 * arrival with performance.now(), so there is no clock skew. Prints propagation and "persisted"
 * acknowledgement percentiles, snapshot bytes, and the correctness gates.
 *
 * Run (bundled like scripts/migrate.js, packages stay external):
 *   npx esbuild scripts/sync-quick-bench.ts --bundle --platform=node --format=esm \
 *     --packages=external --outfile=node_modules/.cache/tillit/sync-quick-bench.mjs \
 *     && node node_modules/.cache/tillit/sync-quick-bench.mjs
 * Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; a fresh database is
 * created next to it and dropped afterwards), BENCH_OBSERVERS (10), BENCH_MOVES (200), BENCH_RATE (20).
 */
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import * as Y from 'yjs';
import { moveCard, readCards } from '../src/lib/board/document';
import { STAGES } from '../src/lib/board/stages';
import { openDatabase } from '../src/lib/server/db/open';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { getBoardDocumentState } from '../src/lib/server/projection/store';
import { MessageType } from '../src/lib/sync/protocol';
import { connectClient, type TestClient } from '../tests/helpers/sync-client';
import { startSyncHarness, waitFor } from '../tests/helpers/sync-harness';
import { seedBoardCards, seedSyncWorld } from '../tests/helpers/sync-seed';

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const observerCount = Number(process.env.BENCH_OBSERVERS ?? 10);
const moves = Number(process.env.BENCH_MOVES ?? 200);
const movesPerSecond = Number(process.env.BENCH_RATE ?? 20);
const cardCount = 1_000;

/** Nearest-rank percentile (BENCHMARKS.md and DESIGN.md use nearest-rank). */
function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(values: number[]) {
	const sorted = [...values].sort((a, b) => a - b);
	const f = (v: number) => `${v.toFixed(2)} ms`;
	return `p50 ${f(percentile(sorted, 50))}  p95 ${f(percentile(sorted, 95))}  p99 ${f(percentile(sorted, 99))}  max ${f(sorted.at(-1) ?? Number.NaN)}  (n=${sorted.length})`;
}

/** Not `with (force)`: terminating a pool connection that is still closing crashes pg's pool. */
async function dropDatabase(admin: pg.Client, name: string): Promise<void> {
	for (let attempt = 0; ; attempt++) {
		try {
			await admin.query(`drop database if exists ${name}`);
			return;
		} catch (error) {
			if (attempt >= 20) throw error;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}
}

async function main(): Promise<void> {
	process.setMaxListeners(100); // every provider listens for process exit
	const name = `tillit_quickbench_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
	const admin = new pg.Client({ connectionString: adminUrl });
	await admin.connect();
	await admin.query(`create database ${name}`);
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	const database = await openDatabase({ databaseUrl: url.toString() });
	const clients: TestClient[] = [];
	let harness: Awaited<ReturnType<typeof startSyncHarness>> | undefined;
	try {
		const migrated = await migrateToLatest(database.db, path.resolve('migrations'));
		if (!migrated.ok) throw new Error(`migration failed: ${migrated.message}`);
		const world = await seedSyncWorld(database.db);
		const { cardIds, snapshotBytes } = await seedBoardCards(
			database.db,
			world.boardId,
			cardCount,
			world.editor.id
		);
		harness = await startSyncHarness(database);

		const joinStarted = performance.now();
		const writer = connectClient(harness, world.boardId, { token: world.editor.token });
		clients.push(writer);
		const observers: TestClient[] = [];
		for (let i = 0; i < observerCount; i++) {
			const observer = connectClient(harness, world.boardId, {
				token: i % 2 ? world.viewer.token : world.editor2.token
			});
			observers.push(observer);
			clients.push(observer);
		}
		await waitFor(() => clients.every((c) => c.provider.synced), 'everyone synced', 60_000);
		const joinMs = performance.now() - joinStarted;

		const sentAt: number[] = [];
		const propagation: number[] = [];
		const ackLatency: number[] = [];
		for (const observer of observers) {
			const bench = observer.doc.getMap<number>('bench');
			bench.observe(() => {
				const seq = bench.get('seq');
				if (typeof seq === 'number' && sentAt[seq] !== undefined)
					propagation.push(performance.now() - sentAt[seq]!);
			});
		}
		// "persisted" covers message n once the server has committed it: time from send to that.
		const awaitingAck: { count: number; at: number }[] = [];
		const persistedHandler = writer.provider.messageHandlers[MessageType.persisted]!;
		writer.provider.messageHandlers[MessageType.persisted] = (...args) => {
			persistedHandler(...args);
			const now = performance.now();
			while (awaitingAck.length > 0 && awaitingAck[0]!.count <= writer.persisted) {
				ackLatency.push(now - awaitingAck.shift()!.at);
			}
		};

		const bench = writer.doc.getMap<number>('bench');
		// The clock starts when the update leaves the writer's document (the provider sends it in the
		// same 'update' event), not before moveCard computes the rank on the client.
		let stampedSeq = -1;
		writer.doc.on('update', () => {
			if (stampedSeq >= 0 && sentAt[stampedSeq] === undefined)
				sentAt[stampedSeq] = performance.now();
		});
		const loopDelay = monitorEventLoopDelay({ resolution: 5 });
		loopDelay.enable();
		const started = performance.now();
		for (let seq = 0; seq < moves; seq++) {
			const due = started + (seq * 1000) / movesPerSecond;
			const wait = due - performance.now();
			if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
			const cardId = cardIds[Math.floor(Math.random() * cardIds.length)]!;
			const stage = STAGES[Math.floor(Math.random() * STAGES.length)]!;
			stampedSeq = seq;
			writer.doc.transact(() => {
				moveCard(writer.doc, cardId, { stage, index: 0, userId: world.editor.id });
				bench.set('seq', seq);
			});
			awaitingAck.push({ count: writer.sent, at: sentAt[seq]! });
		}
		await waitFor(
			() => propagation.length >= moves * observerCount && writer.saved,
			'all delivered and saved',
			30_000
		);

		// Correctness gates.
		const vector = (doc: Y.Doc) => Buffer.from(Y.encodeStateVector(doc)).toString('hex');
		const converged = clients.every((c) => vector(c.doc) === vector(writer.doc));
		const writerCards = readCards(writer.doc);
		const noDuplicates =
			new Set(writerCards.map((c) => c.id)).size === writerCards.length &&
			writerCards.length === cardCount;
		const rows = await database.db
			.selectFrom('cards')
			.select(['id', 'stage'])
			.where('board_id', '=', world.boardId)
			.where('deleted_at', 'is', null)
			.execute();
		const stageOf = new Map(rows.map((r) => [r.id, r.stage]));
		const projectionMatches =
			rows.length === cardCount && writerCards.every((c) => stageOf.get(c.id) === c.stage);
		const stored = await getBoardDocumentState(database.db, world.boardId);
		const logRows = await database.db
			.selectFrom('board_updates')
			.select((eb) => eb.fn.countAll<string>().as('n'))
			.where('board_id', '=', world.boardId)
			.executeTakeFirstOrThrow();
		const eventRows = await database.db
			.selectFrom('card_events')
			.select((eb) => eb.fn.countAll<string>().as('n'))
			.where('board_id', '=', world.boardId)
			.executeTakeFirstOrThrow();

		console.log(
			`\nTillit sync quick bench — ${cardCount} cards, 1 writer at ${movesPerSecond} moves/s, ${observerCount} observers, ${moves} moves, Postgres ${name}`
		);
		console.log(
			`join (writer + ${observerCount} observers, concurrently): ${joinMs.toFixed(0)} ms until all synced`
		);
		console.log(`propagation writer→observer: ${summary(propagation)}`);
		console.log(`"persisted" ack after send:   ${summary(ackLatency)}`);
		console.log(
			`event-loop delay (whole process: server + ${observerCount + 1} clients): p50 ${(loopDelay.percentile(50) / 1e6).toFixed(1)} ms  p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms  max ${(loopDelay.max / 1e6).toFixed(1)} ms`
		);
		console.log(`snapshot bytes, seeded ${cardCount}-card board: ${snapshotBytes}`);
		console.log(`document bytes after the run (snapshot + tail folded): ${stored.byteLength}`);
		console.log(
			`rows written: board_updates ${logRows.n} (log tail after any compaction), card_events ${eventRows.n} (incl. ${cardCount} seeded)`
		);
		const gates = { converged, noDuplicates, projectionMatches };
		const broken = Object.entries(gates).filter(([, ok]) => !ok);
		console.log(
			broken.length === 0
				? 'correctness gates: all hold'
				: `!!! CORRECTNESS GATES BROKEN: ${broken.map(([k]) => k).join(', ')} !!!`
		);
	} finally {
		for (const c of clients) c.destroy();
		const step = (what: string) => process.env.BENCH_DEBUG && console.log(`teardown: ${what}`);
		step('clients destroyed');
		await harness?.close();
		step('harness closed');
		await database.close();
		step('database closed');
		await dropDatabase(admin, name);
		await admin.end();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
