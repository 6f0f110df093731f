/**
 * Folds stored updates (snapshot + log) into one snapshot on a worker thread, so that compaction
 * never encodes a document on the sync server's event loop: encoding a 1,000-card board took
 * 15–70 ms there (S4's loop max), a 10,000-card board hundreds, and every other board on the
 * process waited behind it. Folding from storage rather than from the loaded document is also
 * right when several processes write one board.
 *
 * The worker is started on first use, runs one fold at a time (they queue), and does not keep the
 * process alive. It runs plain JavaScript given here as text, so it needs no build step of its
 * own in the server bundle, the benchmark bundle or Vitest; Yjs is loaded by the path this module
 * resolves. What it does must stay equal to applyStoredUpdates + Y.encodeStateAsUpdate +
 * countCards (store.ts, board/document.ts): the spec beside this file compares the two.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { CARDS_KEY } from '../../board/document';

export interface FoldedState {
	/** The whole document as one update (deleted content collected). */
	state: Uint8Array;
	/** How many cards it holds (for the version point compaction records). */
	cardCount: number;
}

/** Folds stored updates into one state, off the caller's thread. */
export type Folder = (updates: readonly Uint8Array[]) => Promise<FoldedState>;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Y = require(workerData.yjsPath);
parentPort.on('message', ({ id, updates }) => {
	const doc = new Y.Doc();
	try {
		doc.transact(() => {
			for (const update of updates) Y.applyUpdate(doc, update);
		});
		const state = Y.encodeStateAsUpdate(doc);
		let cardCount = 0;
		doc.getMap(workerData.cardsKey).forEach((value) => {
			if (value instanceof Y.Map) cardCount++;
		});
		parentPort.postMessage({ id, state, cardCount }, [state.buffer]);
	} catch (error) {
		parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
	} finally {
		doc.destroy();
	}
});
`;

type Reply = { id: number; state: Uint8Array; cardCount: number } | { id: number; error: string };

interface Pending {
	resolve(folded: FoldedState): void;
	reject(error: Error): void;
}

export class FoldWorker {
	#worker: Worker | null = null;
	#pending = new Map<number, Pending>();
	#nextId = 1;

	/** The Folder to hand to the store (bound, so it can be passed around). */
	readonly fold: Folder = (updates) => this.#fold(updates);

	#fold(updates: readonly Uint8Array[]): Promise<FoldedState> {
		const worker = this.#started();
		const id = this.#nextId++;
		return new Promise<FoldedState>((resolve, reject) => {
			this.#pending.set(id, { resolve, reject });
			// Copied, not transferred: the caller's buffers may be views of a larger pg buffer.
			worker.postMessage({ id, updates: [...updates] });
		});
	}

	#started(): Worker {
		if (this.#worker) return this.#worker;
		const yjsPath = createRequire(import.meta.url).resolve('yjs');
		const worker = new Worker(WORKER_SOURCE, {
			eval: true,
			workerData: { yjsPath, cardsKey: CARDS_KEY }
		});
		worker.unref(); // an idle folder must not keep the server (or a test) running
		worker.on('message', (reply: Reply) => {
			const pending = this.#pending.get(reply.id);
			if (!pending) return;
			this.#pending.delete(reply.id);
			if ('error' in reply) pending.reject(new Error(`fold failed: ${reply.error}`));
			else pending.resolve({ state: reply.state, cardCount: reply.cardCount });
		});
		const fail = (error: Error) => {
			// A crashed worker fails what it held; the next fold starts a new one.
			if (this.#worker === worker) this.#worker = null;
			for (const pending of this.#pending.values()) pending.reject(error);
			this.#pending.clear();
		};
		worker.on('error', fail);
		worker.on('exit', (code) => fail(new Error(`fold worker exited with code ${code}`)));
		this.#worker = worker;
		return worker;
	}

	/** Stops the worker; folds still queued fail (compaction is retried by the next writer). */
	async close(): Promise<void> {
		const worker = this.#worker;
		this.#worker = null;
		if (worker) await worker.terminate();
	}
}
