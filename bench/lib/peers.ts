/**
 * The four peers behind one interface: start the server process, make rooms (boards), connect a
 * client, stop. Each scenario starts its peers afresh, so no peer carries memory from another.
 */
import type * as Y from 'yjs';
import { connectHocuspocus, connectRelay, connectYWebsocket, type SyncClient } from './clients';
import { startServerProcess, type ServerProcess } from './server-process';
import { seedTillit, type TillitFixture } from './tillit-fixture';
import path from 'node:path';

export const PEER_IDS = ['floor', 'ref', 'hocuspocus', 'tillit'] as const;
export type PeerId = (typeof PEER_IDS)[number];

export interface ConnectOptions {
	/** Tillit: connect as the viewer (read-only) instead of an editor. */
	viewer?: boolean;
	/** Tillit: which editor's session to use (spread over a few users like a real team). */
	editor?: number;
	maxBackoffTime?: number;
}

export interface Peer {
	id: PeerId;
	server: ServerProcess;
	/** The floor keeps no state: its clients must start from the same content locally. */
	stateless: boolean;
	rooms(count: number): Promise<string[]>;
	connect(room: string, doc: Y.Doc, options?: ConnectOptions): SyncClient;
	tillit?: TillitFixture;
	/** Graceful stop and a fresh server process (same database and sessions for Tillit). */
	restart(): Promise<void>;
	stop(): Promise<void>;
}

export interface PeerContext {
	bundles: Record<string, string>;
	/** Tillit's database for this run (created by the runner, dropped at the end). */
	tillitDatabaseUrl: string;
	repoRoot: string;
}

let roomCounter = 0;
function plainRooms(count: number): Promise<string[]> {
	const base = `room${Date.now().toString(36)}`;
	return Promise.resolve(Array.from({ length: count }, () => `${base}-${roomCounter++}`));
}

export async function startPeer(id: PeerId, context: PeerContext): Promise<Peer> {
	const bundle = context.bundles[`bench/peers/${id}.ts`];
	if (!bundle) throw new Error(`no bundle for ${id}`);
	if (id === 'tillit') return startTillit(bundle, context);
	const peer: Peer = {
		id,
		server: await startServerProcess(bundle),
		stateless: id === 'floor',
		rooms: plainRooms,
		connect(room, doc, options = {}) {
			const url = `ws://127.0.0.1:${peer.server.port}`;
			if (id === 'floor') return connectRelay(`${url}/relay`, room, doc);
			if (id === 'hocuspocus') return connectHocuspocus(url, room, doc);
			return connectYWebsocket(url, room, doc, { maxBackoffTime: options.maxBackoffTime });
		},
		async restart() {
			await peer.server.stop();
			peer.server = await startServerProcess(bundle);
		},
		stop: () => peer.server.stop()
	};
	return peer;
}

export function tillitServerEnv(databaseUrl: string, repoRoot: string): Record<string, string> {
	return {
		DATABASE_URL: databaseUrl,
		NODE_ENV: 'production',
		LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
		TILLIT_MIGRATIONS_DIR: path.join(repoRoot, 'migrations')
	};
}

async function startTillit(bundle: string, context: PeerContext): Promise<Peer> {
	// BENCH_CPU_PROF=<dir>: the Tillit server writes a V8 CPU profile there when it stops.
	const profileDir = process.env.BENCH_CPU_PROF;
	const start = () =>
		startServerProcess(bundle, {
			env: tillitServerEnv(context.tillitDatabaseUrl, context.repoRoot),
			execArgv: profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []
		});
	const server = await start();
	const fixture = await seedTillit(context.tillitDatabaseUrl);
	let nextEditor = 0;
	const peer: Peer = {
		id: 'tillit',
		server,
		stateless: false,
		tillit: fixture,
		rooms: (count) => fixture.createBoards(count),
		connect(room, doc, options = {}) {
			const url = `ws://127.0.0.1:${peer.server.port}/sync`;
			const origin = `http://127.0.0.1:${peer.server.port}`;
			const user = options.viewer
				? fixture.viewer
				: fixture.editors[(options.editor ?? nextEditor++) % fixture.editors.length]!;
			return connectYWebsocket(url, room, doc, {
				headers: { cookie: user.cookie, origin },
				maxBackoffTime: options.maxBackoffTime
			});
		},
		async restart() {
			await peer.server.stop();
			peer.server = await start();
		},
		async stop() {
			await peer.server.stop();
			await fixture.close();
		}
	};
	return peer;
}
