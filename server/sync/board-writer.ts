/**
 * A board's durability: group commit of its updates to Postgres, retries, compaction.
 *
 * Updates are broadcast before they are written (the room does that); here they wait in a queue.
 * One commit is in flight at a time per board; whatever arrives meanwhile goes into the next one,
 * so a busy board writes few, larger transactions and a quiet one writes at once. A failed commit
 * goes back to the front of the queue and is retried with backoff, never dropped: the board stays
 * loaded until its queue is empty. After a commit, the senders get their "persisted" ack.
 *
 * Compaction runs beside the commits, not between them: it deletes only rows it read before
 * encoding, so a commit landing meanwhile is simply left for the next fold. Awaiting it in the
 * commit loop held every "saved" ack of the board for the fold's ~10–30 ms (S4 ack p99).
 *
 * The ack flows one way: room → writer (enqueue) → store → connection (confirm). The writer takes
 * projection rows from the board's CardProjector and folds the log with the server's FoldWorker;
 * it calls back into the room only to say the board is gone, and hands each fold on (a version
 * point).
 */
import * as Y from 'yjs';
import type { Logger } from '../../src/lib/server/log';
import type { CardProjector } from '../../src/lib/server/projection/projector';
import type { StageEvent } from '../../src/lib/server/projection/stage-events';
import type { FoldedState, Folder } from '../../src/lib/server/projection/fold-worker';
import type { BoardStore } from '../../src/lib/server/projection/store';
import { errorDetails } from './board-connection';
import type { SyncServerOptions } from './options';

/** "Message `seq` of this connection is saved once this entry is." */
export interface Ack {
	connection: { confirm(seq: number): void };
	seq: number;
}

export interface WriteEntry {
	update: Uint8Array;
	events: StageEvent[];
	acks: Ack[];
}

export interface WriterSources {
	/** The projection rows of the cards changed since the last commit. */
	projector: CardProjector;
	/** Folds stored updates into one snapshot, off the event loop (fold-worker.ts). */
	fold: Folder;
	/** A fold was stored as the board's snapshot (the history lane keeps it as a version). */
	onCompacted(folded: FoldedState): void;
	/** The board was deleted under us: writing can never succeed. */
	onBoardGone(): void;
}

/** Postgres foreign_key_violation: the board row is gone (deleted while loaded). */
function isForeignKeyViolation(error: unknown): boolean {
	return (
		typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23503'
	);
}

export class BoardWriter {
	#queue: WriteEntry[] = [];
	#running = false;
	#stopped = false;
	#failures = 0;
	#tailRows: number;
	#tailBytes: number;
	#compactAtRows: number;
	#compactAtBytes: number;
	#idleWaiters: (() => void)[] = [];
	/** The compaction in flight, if any (at most one per board). */
	#compaction: Promise<void> | null = null;
	#backoffTimer: ReturnType<typeof setTimeout> | null = null;
	#wakeFromBackoff: (() => void) | null = null;

	constructor(
		private readonly boardId: string,
		private readonly store: BoardStore,
		private readonly log: Logger,
		private readonly options: SyncServerOptions,
		private readonly sources: WriterSources,
		tail: { rows: number; bytes: number }
	) {
		this.#tailRows = tail.rows;
		this.#tailBytes = tail.bytes;
		this.#compactAtRows = options.compactAfterRows;
		this.#compactAtBytes = options.compactAfterBytes;
	}

	/** Nothing queued and nothing in flight: everything this board received is in Postgres. */
	get idle(): boolean {
		return this.#queue.length === 0 && !this.#running && this.#compaction === null;
	}

	get queuedUpdates(): number {
		return this.#queue.length;
	}

	enqueue(entry: WriteEntry): void {
		if (this.#stopped) return;
		this.#queue.push(entry);
		this.#kick();
	}

	/** Runs a compaction soon if the log is already long (e.g. found so on load). */
	compactIfDue(): void {
		if (this.#compactionDue()) this.#startCompaction();
	}

	whenIdle(): Promise<void> {
		if (this.idle || this.#stopped) return Promise.resolve();
		return new Promise((resolve) => this.#idleWaiters.push(resolve));
	}

	/** Stops writing (crash simulation, board deleted): queued entries are abandoned. */
	stop(): void {
		this.#stopped = true;
		this.#queue = [];
		if (this.#backoffTimer) clearTimeout(this.#backoffTimer);
		this.#wakeFromBackoff?.();
		this.#resolveIdle();
	}

	#compactionDue(): boolean {
		return this.#tailRows >= this.#compactAtRows || this.#tailBytes >= this.#compactAtBytes;
	}

	#kick(): void {
		if (this.#running || this.#stopped) return;
		this.#running = true;
		this.#run()
			.catch((error: unknown) => {
				// #run handles store errors itself; this is a bug of ours. Keep the queue and try again.
				this.log.error({ err: errorDetails(error), board: this.boardId }, 'board writer crashed');
			})
			.finally(() => {
				this.#running = false;
				if (!this.#stopped && this.#queue.length > 0) this.#kick();
				else this.#resolveIdle();
			});
	}

	#resolveIdle(): void {
		if (!this.idle && !this.#stopped) return;
		const waiters = this.#idleWaiters;
		this.#idleWaiters = [];
		for (const resolve of waiters) resolve();
	}

	async #run(): Promise<void> {
		// Let the rest of this event-loop turn's messages join the first batch.
		await new Promise<void>((resolve) => setImmediate(resolve));
		while (!this.#stopped && this.#queue.length > 0) {
			const entries = this.#takeBatch();
			const projection = await this.sources.projector.take();
			if (this.#stopped) return;
			const update =
				entries.length === 1 ? entries[0]!.update : Y.mergeUpdates(entries.map((e) => e.update));
			try {
				await this.store.commit({
					boardId: this.boardId,
					update,
					events: entries.flatMap((entry) => entry.events),
					upserts: projection.upserts,
					deletedCardIds: projection.deletedCardIds
				});
			} catch (error) {
				if (this.#stopped) return;
				this.#queue.unshift(...entries);
				this.sources.projector.restore(projection);
				if (isForeignKeyViolation(error) && !(await this.#boardStillExists())) {
					this.log.warn(
						{ board: this.boardId },
						'board deleted while loaded; its edits are dropped'
					);
					this.stop();
					this.sources.onBoardGone();
					return;
				}
				this.#failures++;
				const delay = this.#backoff();
				this.log.error(
					{
						err: errorDetails(error),
						board: this.boardId,
						attempt: this.#failures,
						retryInMs: delay,
						queued: this.#queue.length
					},
					'board write failed; retrying'
				);
				await this.#sleep(delay);
				continue;
			}
			if (this.#failures > 0) {
				this.log.info(
					{ board: this.boardId, attempts: this.#failures + 1 },
					'board write succeeded after retries'
				);
			}
			this.#failures = 0;
			this.#tailRows += 1;
			this.#tailBytes += update.byteLength;
			for (const entry of entries) for (const ack of entry.acks) ack.connection.confirm(ack.seq);
			if (this.#compactionDue()) this.#startCompaction();
		}
	}

	#startCompaction(): void {
		if (this.#compaction || this.#stopped) return;
		this.#compaction = this.#compact().finally(() => {
			this.#compaction = null;
			this.#resolveIdle();
			// The log may have grown past the threshold again while this fold ran.
			if (this.#compactionDue()) this.#startCompaction();
		});
	}

	#takeBatch(): WriteEntry[] {
		let count = 0;
		let bytes = 0;
		while (count < this.#queue.length && count < this.options.maxBatchUpdates) {
			const size = this.#queue[count]!.update.byteLength;
			if (count > 0 && bytes + size > this.options.maxBatchBytes) break;
			bytes += size;
			count++;
		}
		return this.#queue.splice(0, count);
	}

	async #compact(): Promise<void> {
		// What the fold can cover: rows committed from here on stay in the log for the next one.
		const rows = this.#tailRows;
		const bytes = this.#tailBytes;
		try {
			const outcome = await this.store.compact(this.boardId, this.sources.fold);
			if (outcome.compacted) this.sources.onCompacted(outcome.folded);
			if (outcome.compacted || outcome.reason !== 'locked') {
				// Folded here, or there was nothing to fold / someone else folded it meanwhile.
				this.#tailRows = Math.max(0, this.#tailRows - rows);
				this.#tailBytes = Math.max(0, this.#tailBytes - bytes);
				this.#compactAtRows = this.options.compactAfterRows;
				this.#compactAtBytes = this.options.compactAfterBytes;
				if (outcome.compacted) {
					const { foldedRows, snapshotBytes } = outcome;
					this.log.debug({ board: this.boardId, foldedRows, snapshotBytes }, 'board log compacted');
				}
				return;
			}
		} catch (error) {
			this.log.warn({ err: errorDetails(error), board: this.boardId }, 'board compaction failed');
		}
		// Locked by another process, or failed: try again after the log grows by half a threshold,
		// not after every commit.
		this.#compactAtRows = this.#tailRows + Math.ceil(this.options.compactAfterRows / 2);
		this.#compactAtBytes = this.#tailBytes + Math.ceil(this.options.compactAfterBytes / 2);
	}

	async #boardStillExists(): Promise<boolean> {
		try {
			return await this.store.boardExists(this.boardId);
		} catch {
			return true; // cannot tell: keep retrying
		}
	}

	#backoff(): number {
		const cap = Math.min(
			this.options.retryMaxMs,
			this.options.retryBaseMs * 2 ** Math.min(this.#failures - 1, 20)
		);
		return Math.round(cap / 2 + (Math.random() * cap) / 2);
	}

	#sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			this.#wakeFromBackoff = resolve;
			this.#backoffTimer = setTimeout(() => {
				this.#backoffTimer = null;
				this.#wakeFromBackoff = null;
				resolve();
			}, ms);
		});
	}
}
