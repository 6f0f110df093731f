/**
 * The sync server (placeholder until the live-board issue lands): admits or refuses each upgrade.
 * Admitted sockets are closed with 1013 for now, since no board protocol is served yet.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Runtime } from '../../src/lib/server/runtime';
import { CloseCode } from '../../src/lib/sync/protocol';
import { admitUpgrade } from './admission';

export interface SyncServer {
	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
	close(): Promise<void>;
}

export function createSyncServer(runtime: Runtime): SyncServer {
	const wss = new WebSocketServer({ noServer: true });
	return {
		async handleUpgrade(request, socket, head) {
			const admission = await admitUpgrade(runtime.database.db, request, runtime.config.origin);
			wss.handleUpgrade(request, socket, head, (ws) => {
				if (!admission.ok) {
					ws.close(admission.code, admission.reason);
					return;
				}
				ws.close(CloseCode.tryAgainLater, 'not served yet');
			});
		},
		async close() {
			for (const client of wss.clients) client.close(CloseCode.goingAway, 'server shutting down');
			await new Promise<void>((resolve) => wss.close(() => resolve()));
		}
	};
}
