/**
 * Tillit as users run it, minus the SvelteKit page handler: the same runtime (Postgres from
 * DATABASE_URL, migrations) and the same createSyncServer + upgrade wiring as server/index.ts, so
 * every socket goes through session auth, the Postgres log and the projection. Pages are not part
 * of any sync scenario (S5 uses the real production build).
 */
import http from 'node:http';
import { closeRuntime, getRuntime, readRuntimeConfig } from '../../src/lib/server/runtime';
import { SYNC_PATH_PREFIX } from '../../src/lib/sync/protocol';
import { createSyncServer } from '../../server/sync/sync-server';
import { serveBenchIpc } from './child-ipc';

const runtime = await getRuntime(readRuntimeConfig(process.env, process.cwd()));
// Diagnostics only (never in a reported run): BENCH_TILLIT_OPTIONS='{"compactAfterRows":1e9}'
// overrides sync-server options, to measure what a given mechanism costs.
const overrides = process.env.BENCH_TILLIT_OPTIONS
	? (JSON.parse(process.env.BENCH_TILLIT_OPTIONS) as Record<string, number>)
	: {};
const sync = createSyncServer(runtime, overrides);
const server = http.createServer((_request, response) => response.writeHead(404).end());
server.on('upgrade', (request, socket, head) => {
	if (!(request.url ?? '').startsWith(SYNC_PATH_PREFIX)) {
		socket.destroy();
		return;
	}
	sync.handleUpgrade(request, socket, head).catch((error: unknown) => {
		runtime.log.error({ err: String(error) }, 'sync upgrade failed');
		socket.destroy();
	});
});

const port = Number(process.env.PORT ?? 0);
server.listen(port, '127.0.0.1', () => {
	const address = server.address();
	const actualPort = typeof address === 'object' && address ? address.port : port;
	serveBenchIpc(actualPort, async () => {
		server.close();
		await sync.close(); // flushes pending updates before the database closes
		await closeRuntime();
	});
});
