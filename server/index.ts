/**
 * The production process: one HTTP server for SvelteKit's pages (adapter-node's handler) and the
 * sync websockets (/sync/<board>). Start-up order: database + migrations first (a failed migration
 * stops here with a clear message), then the handler, then listen.
 */
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
	closeRuntime,
	getRuntime,
	MigrationError,
	readRuntimeConfig
} from '../src/lib/server/runtime';
import { SYNC_PATH_PREFIX } from '../src/lib/sync/protocol';
import { createSyncServer } from './sync/sync-server';

const buildDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
	const config = readRuntimeConfig(process.env, process.cwd());
	let runtime;
	try {
		runtime = await getRuntime(config);
	} catch (error) {
		const message =
			error instanceof MigrationError
				? error.message
				: `Could not open the database: ${String(error)}`;
		process.stderr.write(`\nTillit did not start. ${message}\n\n`);
		process.exit(1);
	}
	const { log } = runtime;

	// adapter-node assumes https when it has neither ORIGIN nor a protocol header, which makes
	// SvelteKit refuse every form post on plain http://localhost as cross-site. This process
	// serves plain http itself, so without ORIGIN we tell the handler exactly that, through a
	// header only we set (a client's own value is overwritten). Behind a TLS proxy, set ORIGIN.
	const protocolHeader = config.origin || process.env.PROTOCOL_HEADER ? null : 'x-tillit-protocol';
	if (protocolHeader) process.env.PROTOCOL_HEADER = protocolHeader;

	// Idea photos come whole from phones (up to 12 MB, src/lib/server/photos.ts), above
	// adapter-node's default body limit of 512 KB; each route still caps what it reads itself.
	process.env.BODY_SIZE_LIMIT ??= '13M';

	// adapter-node's handler: static files, prerendered pages, then SvelteKit.
	const handlerModule = (await import(pathToFileURL(path.join(buildDir, 'handler.js')).href)) as {
		handler: http.RequestListener;
	};
	const sync = createSyncServer(runtime);

	const server = http.createServer((request, response) => {
		if (protocolHeader) request.headers[protocolHeader] = 'http';
		handlerModule.handler(request, response);
	});
	server.on('upgrade', (request, socket, head) => {
		if (!(request.url ?? '').startsWith(SYNC_PATH_PREFIX)) {
			socket.destroy();
			return;
		}
		sync.handleUpgrade(request, socket, head).catch((error: unknown) => {
			log.error({ err: String(error) }, 'sync upgrade failed');
			socket.destroy();
		});
	});

	const host = process.env.HOST || '0.0.0.0';
	const port = Number(process.env.PORT ?? 3000);
	server.listen(port, host, () => {
		const address = server.address();
		const actualPort = typeof address === 'object' && address ? address.port : port;
		const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
		const url = config.origin ?? `http://${shownHost}:${actualPort}`;
		log.info({ url, database: runtime.database.kind }, 'Tillit is listening');
		process.stdout.write(`\nTillit is running at ${url}\n\n`);
	});

	let stopping = false;
	const shutdown = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		log.info({ signal }, 'shutting down');
		server.close();
		await sync.close(); // flushes every board's pending updates before the database closes
		await closeRuntime();
		process.exit(0);
	};
	process.on('SIGINT', () => void shutdown('SIGINT'));
	process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

await main();
