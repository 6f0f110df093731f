/**
 * The sync server's limits and timings, with the defaults production uses. Tests pass smaller
 * values (tiny messages limits, short grace periods) instead of waiting on real-time defaults.
 */
import type { BoardStore } from '../../src/lib/server/projection/store';

export interface SyncServerOptions {
	/** A larger frame closes the connection with 4413 (permanent, so it is not resent forever). */
	maxMessageBytes: number;
	/** An awareness update larger than this closes with 4413. */
	maxAwarenessBytes: number;
	/**
	 * Awareness updates per second one person may send to one board, over all their sockets (token
	 * bucket); extra ones are dropped.
	 */
	awarenessPerSecond: number;
	awarenessBurst: number;
	/**
	 * Sockets one person may have open to one board (tabs, a stand-up screen, a reconnect racing
	 * its dead predecessor); one more is closed with 4429.
	 */
	maxConnectionsPerUserPerBoard: number;
	/**
	 * Awareness updates dropped for being over the rate (shared by all of one person's sockets on
	 * a board) before the sending connection is closed with 4429.
	 */
	maxDroppedAwareness: number;
	/** Cards one board may hold; an update adding more closes its sender with 4413. */
	maxCards: number;
	/** A board's encoded document may not grow past this; the update that would closes with 4413. */
	maxDocumentBytes: number;
	/**
	 * Bytes Yjs may hold per board for updates whose history it never saw (pending structs and
	 * deletes), and how many such updates may wait for their "saved". Past either, the sender is
	 * closed with 4413 and the pending data is dropped.
	 */
	maxPendingBytes: number;
	maxHeldUpdates: number;
	/** How many awareness client ids one connection may speak for (one per tab, plus slack). */
	maxAwarenessClientsPerConnection: number;
	/**
	 * Upgrades being admitted at once (each checks session and membership in the database). Past
	 * it, a reconnect storm is answered with 1013 ("try again later"), which the client retries
	 * with jitter, instead of queueing hundreds of session checks on the database pool.
	 */
	maxConcurrentAdmissions: number;
	/** A connection with more than this queued for sending is a slow consumer: closed with 1013. */
	maxBufferedBytes: number;
	/** Frames a connection may send while its board is still loading; more closes with 1013. */
	maxWaitingMessages: number;
	/** A connection that has heard nothing for this long gets a keepalive message. */
	keepaliveIdleMs: number;
	/** How often the server looks for idle and dead connections. */
	tickMs: number;
	/** Ping interval; a connection that has not answered the previous ping is terminated. */
	pingIntervalMs: number;
	/** Every open connection's session and membership are checked again this often. */
	revalidateEveryMs: number;
	/** A board stays loaded this long after its last client left (a reload should not reload it). */
	unloadGraceMs: number;
	/** Compaction folds the log into the snapshot when it has this many rows or bytes. */
	compactAfterRows: number;
	compactAfterBytes: number;
	/** One group commit takes at most this many updates / bytes; the rest go in the next. */
	maxBatchUpdates: number;
	maxBatchBytes: number;
	/** A failed write is retried after retryBaseMs × 2ⁿ (jittered), at most retryMaxMs. */
	retryBaseMs: number;
	retryMaxMs: number;
	/** close() waits this long for pending writes before giving up on them (clients still hold them). */
	closeFlushTimeoutMs: number;
	/** Where documents are stored; tests wrap the default to stall or fail commits. */
	store?: BoardStore;
	/** The server's clock for stage events (ms since epoch). */
	now: () => number;
	/**
	 * Undo stage changes that miss what their stage gate needs (src/lib/server/lifecycle-guard.ts).
	 * Always on in the product; benchmarks that move cards at random through stages with no PDCA
	 * facts turn it off, since every such move would be undone.
	 */
	enforceLifecycleGates: boolean;
}

export const DEFAULT_SYNC_OPTIONS: SyncServerOptions = {
	maxMessageBytes: 4 * 1024 * 1024,
	maxAwarenessBytes: 16 * 1024,
	awarenessPerSecond: 10,
	awarenessBurst: 30,
	maxAwarenessClientsPerConnection: 4,
	// Tabs, phones and a stand-up screen of one person fit many times over; the benchmarks spread
	// up to 100 observers of one board over 5 people (20 each).
	maxConnectionsPerUserPerBoard: 32,
	maxDroppedAwareness: 100,
	// A 10,000-card board (the largest BENCHMARKS.md measures) is a few MB.
	maxCards: 20_000,
	maxDocumentBytes: 32 * 1024 * 1024,
	maxPendingBytes: 1024 * 1024,
	maxHeldUpdates: 1024,
	maxConcurrentAdmissions: 64,
	maxBufferedBytes: 16 * 1024 * 1024,
	maxWaitingMessages: 256,
	// The stock client closes after 30 s without a message; tick 5 s + idle 10 s ≤ 15 s of silence.
	keepaliveIdleMs: 10_000,
	tickMs: 5_000,
	pingIntervalMs: 30_000,
	revalidateEveryMs: 45_000,
	unloadGraceMs: 30_000,
	compactAfterRows: 500,
	compactAfterBytes: 1024 * 1024,
	maxBatchUpdates: 512,
	maxBatchBytes: 4 * 1024 * 1024,
	retryBaseMs: 100,
	retryMaxMs: 10_000,
	closeFlushTimeoutMs: 10_000,
	now: () => Date.now(),
	enforceLifecycleGates: true
};

/** Leaves ws room above our own limit, so an oversized frame reaches us (4413) instead of ws closing it with 1009. */
export function wsMaxPayload(options: SyncServerOptions): number {
	return options.maxMessageBytes * 2 + 1024;
}
