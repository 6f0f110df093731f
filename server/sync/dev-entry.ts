/**
 * Development only: Vite's dev server forwards /sync/ upgrades here (see vite.config.ts). It uses
 * the same runtime and the same createSyncServer as the production entry.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { getRuntime, readRuntimeConfig } from '../../src/lib/server/runtime';
import { createSyncServer, type SyncServer } from './sync-server';

const SYNC_KEY = Symbol.for('tillit.dev-sync-server');
type Holder = { [SYNC_KEY]?: Promise<SyncServer> };

export async function handleDevUpgrade(
	request: IncomingMessage,
	socket: Duplex,
	head: Buffer
): Promise<void> {
	const holder = globalThis as Holder;
	holder[SYNC_KEY] ??= getRuntime(readRuntimeConfig(process.env, process.cwd())).then(
		createSyncServer
	);
	const sync = await holder[SYNC_KEY];
	await sync.handleUpgrade(request, socket, head);
}
