/**
 * The real sync server on an http server on port 0, for integration tests. `restart()` simulates a
 * process crash and restart: the current SyncServer is terminated (sockets dropped, pending writes
 * abandoned) and a fresh one takes over the same port and database, so clients reconnect by
 * themselves to what is, for them, a restarted server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import { createLogger } from '../../src/lib/server/log';
import { readRuntimeConfig } from '../../src/lib/server/runtime';
import { SYNC_PATH_PREFIX } from '../../src/lib/sync/protocol';
import type { SyncServerOptions } from '../../server/sync/options';
import { createSyncServer, type SyncServer } from '../../server/sync/sync-server';

export interface SyncHarness {
	/** ws://127.0.0.1:<port>/sync — the provider's server URL (the board id is appended). */
	readonly serverUrl: string;
	/** The Origin a same-site browser would send. */
	readonly origin: string;
	readonly server: SyncServer;
	/** Crash + restart: terminate the current server, start a new one (optionally other options). */
	restart(options?: Partial<SyncServerOptions>): SyncServer;
	close(): Promise<void>;
}

export async function startSyncHarness(
	database: OpenDatabase,
	options: Partial<SyncServerOptions> = {}
): Promise<SyncHarness> {
	const runtime = {
		config: readRuntimeConfig({ NODE_ENV: 'test' }, process.cwd()),
		database,
		log: createLogger({ level: process.env.SYNC_TEST_LOG_LEVEL ?? 'silent' })
	};
	let current = createSyncServer(runtime, options);
	const httpServer = http.createServer((_request, response) => {
		response.statusCode = 404;
		response.end();
	});
	httpServer.on('upgrade', (request, socket, head) => {
		if (!(request.url ?? '').startsWith(SYNC_PATH_PREFIX)) {
			socket.destroy();
			return;
		}
		current.handleUpgrade(request, socket, head).catch(() => socket.destroy());
	});
	await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
	const { port } = httpServer.address() as AddressInfo;
	return {
		serverUrl: `ws://127.0.0.1:${port}/sync`,
		origin: `http://127.0.0.1:${port}`,
		get server() {
			return current;
		},
		restart(next = options) {
			current.terminate();
			current = createSyncServer(runtime, next);
			return current;
		},
		async close() {
			await current.close();
			httpServer.closeAllConnections();
			await new Promise<void>((resolve) => httpServer.close(() => resolve()));
		}
	};
}

/** Polls `predicate` until it holds; fails with `what` after `timeoutMs`. No fixed sleeps. */
export async function waitFor(
	predicate: () => boolean | Promise<boolean>,
	what: string,
	timeoutMs = 10_000
): Promise<void> {
	const deadline = performance.now() + timeoutMs;
	for (;;) {
		if (await predicate()) return;
		if (performance.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}
