/**
 * S4: durability (Tillit only: the reference and Hocuspocus, as benchmarked, keep documents in
 * memory and have no "saved" acknowledgement). A writer moves cards at 200 updates/s on a
 * 1,000-card board with one observer. Figures: the "persisted" ack's latency from sending, and how
 * long after the observer saw the move the writer heard it was saved; rows and transactions
 * written per update (pg_stat counters of the run's own database) and WAL bytes per update.
 * Then a burst: BURST_UPDATES moves sent as fast as the client makes them, to show the group
 * commit at work (at 200/s a commit is done long before the next update arrives, so each goes
 * alone; in a burst they queue behind the commit in flight and share the next one).
 */
import { sql } from 'kysely';
import * as Y from 'yjs';
import { moveStamped, observeStamps, seedCards } from '../lib/board';
import type { SyncClient } from '../lib/clients';
import { checkBoardGates, waitForCards, type ScenarioContext } from '../lib/harness';
import { startPeer, type Peer } from '../lib/peers';
import { round, sleep, summarize, waitUntil } from '../lib/stats';

const CARDS = 1000;
const RATE_PER_SECOND = 200;
const BURST_UPDATES = 2000;
/** Postgres flushes a backend's table counters within 10 s of it going idle. */
const STATS_SETTLE_MS = 11_000;

export async function runS4(context: ScenarioContext): Promise<void> {
	if (!context.peers.includes('tillit')) return;
	const seconds = context.full ? 30 : 6;
	const peer = await startPeer('tillit', context.peerContext);
	try {
		await measure(context, peer, seconds);
	} finally {
		await peer.stop();
	}
}

function allAcked(client: SyncClient): boolean {
	const log = client.current();
	const last = log?.acks[log.acks.length - 1];
	return log !== undefined && last !== undefined && last.count >= log.sent.length;
}

async function databaseCounters(peer: Peer) {
	const db = peer.tillit!.db;
	await sql`select pg_stat_clear_snapshot()`.execute(db);
	const tables = await sql<{ relname: string; ins: string; upd: string; del: string }>`
		select relname, n_tup_ins::text as ins, n_tup_upd::text as upd, n_tup_del::text as del
		from pg_stat_user_tables where relname in ('board_updates', 'card_events', 'cards', 'board_snapshots')`.execute(
		db
	);
	const database = await sql<{ commits: string; wal: string }>`
		select xact_commit::text as commits, pg_current_wal_lsn()::text as wal
		from pg_stat_database where datname = current_database()`.execute(db);
	const counters: Record<string, number> = {};
	for (const row of tables.rows) {
		counters[`${row.relname}.ins`] = Number(row.ins);
		counters[`${row.relname}.upd`] = Number(row.upd);
		counters[`${row.relname}.del`] = Number(row.del);
	}
	counters.commits = Number(database.rows[0]!.commits);
	return { counters, wal: database.rows[0]!.wal };
}

/** The board's log rows ever written (a sequence: compaction deletes rows, not numbers). */
async function logRowsWritten(peer: Peer, boardId: string): Promise<number> {
	const row = await sql<{ seq: string | null }>`
		select max(seq)::text as seq from board_updates where board_id = ${boardId}`.execute(
		peer.tillit!.db
	);
	return Number(row.rows[0]?.seq ?? 0);
}

/** Commits for BURST_UPDATES moves sent back to back (one log row per commit). */
async function measureBurst(peer: Peer, boardId: string, writer: SyncClient, userId: string) {
	const before = await logRowsWritten(peer, boardId);
	const startedAt = performance.now();
	for (let n = 0; n < BURST_UPDATES; n++) {
		moveStamped(writer.doc, `c${Math.floor(Math.random() * CARDS)}`, userId);
	}
	await waitUntil(() => allAcked(writer), 60_000, 5);
	const allSavedMs = performance.now() - startedAt;
	// A fold may have deleted rows meanwhile, never the newest: max(seq) still counts every commit.
	return { commits: (await logRowsWritten(peer, boardId)) - before, allSavedMs };
}

async function measure(context: ScenarioContext, peer: Peer, seconds: number) {
	const [room] = await peer.rooms(1);
	const userId = peer.tillit!.editors[0]!.id;
	const writer = peer.connect(room!, new Y.Doc(), { editor: 0 });
	await writer.synced;
	seedCards(writer.doc, CARDS, { userId });
	const observer = peer.connect(room!, new Y.Doc(), { editor: 1 });
	await observer.synced;
	await waitForCards([observer.doc], CARDS);
	await waitUntil(() => allAcked(writer), 30_000);
	await sleep(STATS_SETTLE_MS);
	const before = await databaseCounters(peer);

	const total = Math.round(seconds * RATE_PER_SECOND);
	const log = writer.current()!;
	const firstUpdate = log.sent.length; // messages before the first measured one
	const seenAt = new Float64Array(total).fill(Number.NaN);
	const stop = observeStamps(observer.doc, (seq) => {
		if (seq >= 0 && seq < total) seenAt[seq] = performance.now();
	});
	const interval = 1000 / RATE_PER_SECOND;
	await peer.server.usage({ resetLoopDelay: true });
	const startedAt = performance.now();
	for (let seq = 0; seq < total; seq++) {
		const wait = startedAt + seq * interval - performance.now();
		if (wait > 1) await sleep(wait);
		moveStamped(writer.doc, `c${Math.floor(Math.random() * CARDS)}`, userId, seq);
	}
	const acked = await waitUntil(() => allAcked(writer), 30_000, 5);
	await waitUntil(() => !Number.isNaN(seenAt[total - 1]!), 10_000, 5);
	stop();
	const usage = await peer.server.usage();

	// Ack latency: update k (1-based on this connection) is saved at the first ack with count ≥ k.
	const ackMs: number[] = [];
	const afterBroadcastMs: number[] = [];
	let ackIndex = 0;
	for (let seq = 0; seq < total; seq++) {
		const number = firstUpdate + seq + 1;
		while (ackIndex < log.acks.length && log.acks[ackIndex]!.count < number) ackIndex++;
		const ack = log.acks[ackIndex];
		if (!ack) break;
		ackMs.push(ack.at - log.sent[number - 1]!.at);
		if (!Number.isNaN(seenAt[seq]!)) afterBroadcastMs.push(ack.at - seenAt[seq]!);
	}
	await sleep(STATS_SETTLE_MS);
	const after = await databaseCounters(peer);
	const walBytes = await sql<{ bytes: string }>`
		select pg_wal_lsn_diff(${after.wal}::pg_lsn, ${before.wal}::pg_lsn)::text as bytes`.execute(
		peer.tillit!.db
	);
	const delta = (key: string) => (after.counters[key] ?? 0) - (before.counters[key] ?? 0);
	const ack = summarize(ackMs);
	const late = summarize(afterBroadcastMs);
	const burst = await measureBurst(peer, room!, writer, userId);
	context.report.record({
		scenario: 'S4',
		peer: 'tillit',
		updates: total,
		acked: ackMs.length,
		allAcked: acked,
		ackP50: round(ack.p50, 2),
		ackP99: round(ack.p99, 2),
		ackMax: round(ack.max, 2),
		ackAfterBroadcastP50: round(late.p50, 2),
		ackAfterBroadcastP99: round(late.p99, 2),
		commitsPerUpdate: round(delta('commits') / total, 3),
		logRowsPerUpdate: round(delta('board_updates.ins') / total, 3),
		eventRowsPerUpdate: round(delta('card_events.ins') / total, 3),
		cardRowsPerUpdate: round((delta('cards.ins') + delta('cards.upd')) / total, 3),
		compactions: delta('board_snapshots.ins') + delta('board_snapshots.upd'),
		walBytesPerUpdate: round(Number(walBytes.rows[0]!.bytes) / total, 0),
		loopP99: round(usage.loopDelayP99Ms, 2),
		loopMax: round(usage.loopDelayMaxMs, 2),
		burstUpdates: BURST_UPDATES,
		burstCommitsPerUpdate: round(burst.commits / BURST_UPDATES, 3),
		burstAllSavedMs: round(burst.allSavedMs, 0)
	});
	process.stdout.write(
		`   S4 tillit  ${total} updates at ${RATE_PER_SECOND}/s: ack p50 ${ack.p50.toFixed(2)} ms  p99 ${ack.p99.toFixed(2)} ms; after broadcast p50 ${late.p50.toFixed(2)} ms  p99 ${late.p99.toFixed(2)} ms\n` +
			`      per update: ${(delta('commits') / total).toFixed(2)} commits, ${(delta('board_updates.ins') / total).toFixed(2)} log rows, ${(delta('card_events.ins') / total).toFixed(2)} events, ${((delta('cards.ins') + delta('cards.upd')) / total).toFixed(2)} card rows, ${(Number(walBytes.rows[0]!.bytes) / total).toFixed(0)} WAL bytes (cluster-wide); loop p99 ${usage.loopDelayP99Ms.toFixed(1)} max ${usage.loopDelayMaxMs.toFixed(1)} ms\n` +
			`      burst of ${BURST_UPDATES} updates at once: ${burst.commits} commits (${(burst.commits / BURST_UPDATES).toFixed(3)} per update), all saved ${burst.allSavedMs.toFixed(0)} ms after the first was sent\n`
	);
	await checkBoardGates('S4', peer, room!, [writer.doc, observer.doc], CARDS);
	writer.destroy();
	observer.destroy();
}
