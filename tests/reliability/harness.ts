/**
 * The reliability suite's world: a fresh Postgres database, a Tillit server in a child process on
 * a fixed loopback port (so it can be killed with SIGKILL and started again where the clients
 * expect it), seeded people with sessions, and stock y-websocket clients.
 *
 * RELIABILITY_FULL=1 (npm run test:reliability) runs the full sizes; otherwise the reduced sizes
 * that `npm test` runs.
 */
import path from 'node:path';
import { inject } from 'vitest';
import * as Y from 'yjs';
import { cardsMap, createCard, moveCard, readCards } from '../../src/lib/board/document';
import { STAGES } from '../../src/lib/board/stages';
import type { ConnectionLog, SyncClient } from '../../bench/lib/clients';
import { connectYWebsocket } from '../../bench/lib/clients';
import { freePort } from '../../bench/lib/ports';
import { tillitServerEnv } from '../../bench/lib/peers';
import { startServerProcess, type ServerProcess } from '../../bench/lib/server-process';
import { sleep, waitUntil, within } from '../../bench/lib/stats';
import {
	createFreshDatabase,
	readProjection,
	seedTillit,
	type FreshDatabase,
	type TillitFixture
} from '../../bench/lib/tillit-fixture';
import type { WebsocketProvider } from 'y-websocket';

export const FULL = process.env.RELIABILITY_FULL === '1';

// Every y-websocket provider adds an exit listener; hundreds of clients are expected here.
process.setMaxListeners(0);

/** Picks the full or the reduced size. */
export function size<T>(full: T, reduced: T): T {
	return FULL ? full : reduced;
}

export function adminUrl(): string {
	return (
		process.env.TEST_DATABASE_URL ||
		process.env.DATABASE_URL ||
		'postgres://postgres@127.0.0.1:5432/postgres'
	);
}

export type Client = SyncClient & { provider: WebsocketProvider };

export interface Harness {
	port: number;
	database: FreshDatabase;
	fixture: TillitFixture;
	server: ServerProcess;
	/** Starts the server (again) on the same port. */
	start(): Promise<void>;
	/** kill -9. */
	kill(): Promise<void>;
	connect(
		board: string,
		options?: { editor?: number; viewer?: boolean; doc?: Y.Doc; maxBackoffTime?: number }
	): Client;
	/** A fresh client's view of the board (what the server holds), then disconnects. */
	readBoard(board: string, timeoutMs?: number): Promise<Y.Doc>;
	close(): Promise<void>;
}

export async function openHarness(options: { editors?: number } = {}): Promise<Harness> {
	const database = await createFreshDatabase('tillit_rel', adminUrl());
	const port = await freePort();
	const bundle = inject('tillitBundle');
	const start = () =>
		startServerProcess(bundle, {
			env: { ...tillitServerEnv(database.url, path.resolve('.')), PORT: String(port) },
			quiet: true
		});
	let server = await start();
	const fixture = await seedTillit(database.url, options.editors ?? 8);
	const clients = new Set<Client>();
	const harness: Harness = {
		port,
		database,
		fixture,
		get server() {
			return server;
		},
		async start() {
			server = await start();
		},
		async kill() {
			await server.kill();
		},
		connect(board, connectOptions = {}) {
			const user = connectOptions.viewer
				? fixture.viewer
				: fixture.editors[(connectOptions.editor ?? 0) % fixture.editors.length]!;
			const client = connectYWebsocket(
				`ws://127.0.0.1:${port}/sync`,
				board,
				connectOptions.doc ?? new Y.Doc(),
				{
					headers: { cookie: user.cookie, origin: `http://127.0.0.1:${port}` },
					// Short backoff by default: the suite restarts servers often and waits for reconnects.
					maxBackoffTime: connectOptions.maxBackoffTime ?? 400
				}
			);
			clients.add(client);
			return client as Client;
		},
		async readBoard(board, timeoutMs = 20_000) {
			const client = harness.connect(board);
			const synced = await within(
				client.synced.then(() => true),
				timeoutMs,
				false
			);
			client.destroy();
			if (!synced) throw new Error(`a fresh client did not sync within ${timeoutMs} ms`);
			return client.doc;
		},
		async close() {
			for (const client of clients) client.destroy();
			await server.stop(5_000);
			await fixture.close();
			await database.drop();
		}
	};
	return harness;
}

/** Waits until the client has completed a sync handshake on its current socket. */
export function whenSynced(client: Client, timeoutMs: number): Promise<boolean> {
	return waitUntil(() => client.provider.synced, timeoutMs, 20);
}

export function stateVectorKey(doc: Y.Doc): string {
	return Buffer.from(Y.encodeStateVector(doc)).toString('base64');
}

/** Waits until all docs have equal state vectors. */
export function waitConverged(docs: readonly Y.Doc[], timeoutMs: number): Promise<boolean> {
	return waitUntil(() => new Set(docs.map(stateVectorKey)).size === 1, timeoutMs, 50);
}

/** The projection rows equal the document's cards (id, stage, title), polled until `timeoutMs`. */
export async function projectionMatches(
	fixture: TillitFixture,
	board: string,
	doc: Y.Doc,
	timeoutMs = 20_000
): Promise<{ ok: boolean; projected: number; cards: number }> {
	const expected = JSON.stringify(
		readCards(doc)
			.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
			.map((card) => [card.id, card.stage, card.title])
	);
	let projected = 0;
	const ok = await waitUntil(
		async () => {
			try {
				const rows = await readProjection(fixture.db, board);
				projected = rows.length;
				return JSON.stringify(rows.map((row) => [row.id, row.stage, row.title])) === expected;
			} catch {
				return false; // e.g. a pooled connection Postgres closed on restart: ask again
			}
		},
		timeoutMs,
		250
	);
	return { ok, projected, cards: cardsMap(doc).size };
}

/**
 * Which of an editor's new cards are acknowledged ("persisted") by the server. A card is saved
 * once an ack covers either the update message that carried it, or a sync-step-2 message sent
 * after it was made (step 2 carries everything the server lacks).
 */
export class EditLog {
	readonly cards: { id: string; at: number; own: { log: ConnectionLog; number: number } | null }[] =
		[];

	constructor(readonly client: Client) {}

	/** Runs `create` (which adds one card `id`) and records how the card left. */
	record(id: string, create: () => void): void {
		const log = this.client.current();
		const before = log?.sent.length ?? 0;
		create();
		const after = log?.sent.length ?? 0;
		const own =
			log && after === before + 1 && log.sent[after - 1]!.kind === 'update'
				? { log, number: after }
				: null;
		this.cards.push({ id, at: performance.now(), own });
	}

	acknowledged(): string[] {
		const highest = (log: ConnectionLog) => log.acks[log.acks.length - 1]?.count ?? 0;
		return this.cards
			.filter((card) => {
				if (card.own && highest(card.own.log) >= card.own.number) return true;
				return this.client.connections.some((log) =>
					log.sent.some(
						(message, index) =>
							message.kind === 'step2' && message.at >= card.at && highest(log) >= index + 1
					)
				);
			})
			.map((card) => card.id);
	}
}

/**
 * Editors making changes at random intervals: mostly new cards (the edits whose survival the
 * suite checks), some moves through the board document's own moveCard.
 */
export class EditorLoad {
	#running = false;
	#loops: Promise<void>[] = [];
	#counter = 0;

	constructor(
		readonly editors: readonly { client: Client; log: EditLog; userId: string; name: string }[],
		readonly options: { minDelayMs: number; maxDelayMs: number; createShare: number }
	) {}

	start(): void {
		this.#running = true;
		this.#loops = this.editors.map((editor) => this.#loop(editor));
	}

	async stop(): Promise<void> {
		this.#running = false;
		await Promise.all(this.#loops);
	}

	async #loop(editor: (typeof this.editors)[number]): Promise<void> {
		while (this.#running) {
			const { minDelayMs, maxDelayMs } = this.options;
			await sleep(minDelayMs + Math.random() * (maxDelayMs - minDelayMs));
			if (!this.#running) break;
			const doc = editor.client.doc;
			const ids = [...cardsMap(doc).keys()];
			if (ids.length === 0 || Math.random() < this.options.createShare) {
				const id = `${editor.name}-${this.#counter++}`;
				editor.log.record(id, () =>
					createCard(doc, { id, title: `Idé ${id}`, userId: editor.userId })
				);
			} else {
				const target = ids[Math.floor(Math.random() * ids.length)]!;
				const stage = STAGES[Math.floor(Math.random() * STAGES.length)]!;
				moveCard(doc, target, {
					stage,
					index: Math.floor(Math.random() * 5),
					userId: editor.userId
				});
			}
		}
	}
}
