/**
 * Clients for each peer, all in the benchmark's own process: the stock y-websocket provider for
 * ref and tillit (with `ws` in Node, and Tillit's session cookie), Hocuspocus's own provider for
 * Hocuspocus (its wire format differs), and a bare relay socket for the floor.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as decoding from 'lib0/decoding';
import { WebSocket, type RawData } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { MessageType } from '../../src/lib/sync/protocol';

/** One socket's life: what it sent that Tillit numbers, and the "persisted" acks it got back. */
export interface ConnectionLog {
	/** Update-bearing messages (sync step 2 = 'step2', sync update = 'update'), numbered from 1. */
	sent: { at: number; kind: 'step2' | 'update' }[];
	/** "persisted" messages: every message up to `count` is committed. */
	acks: { at: number; count: number }[];
	closeCode: number | null;
}

export interface SyncClient {
	doc: Y.Doc;
	/** Resolves when the first sync handshake is complete (the client holds the server's state). */
	synced: Promise<void>;
	/** Bytes received on the socket(s) so far. */
	bytesIn(): number;
	/** Close codes the server sent this client. */
	closeCodes: number[];
	/** Every socket this client opened, oldest first (a provider reconnects with a new socket). */
	connections: ConnectionLog[];
	/** The current (latest) socket's log. */
	current(): ConnectionLog | undefined;
	destroy(): void;
}

type SocketClass = typeof WebSocket;

/**
 * Moves Tillit's lifecycle gates refused (and undid). The scenarios make only legal moves, so
 * anything here means the workload differed from the other peers'; the run reports it.
 */
export const serverRefusals = { moves: 0 };

function byteLength(data: RawData): number {
	if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.byteLength, 0);
	return data.byteLength;
}

/** A `ws` WebSocket that counts what it receives and sends the given headers (cookie, origin). */
const LOG = Symbol('connection-log');
type LoggedSocket = WebSocket & { [LOG]: ConnectionLog };

function socketClass(
	counter: { bytes: number },
	closeCodes: number[],
	connections: ConnectionLog[],
	headers: Record<string, string> = {}
): SocketClass {
	class CountingSocket extends WebSocket {
		readonly [LOG]: ConnectionLog = { sent: [], acks: [], closeCode: null };

		constructor(address: string | URL, protocols?: string | string[]) {
			super(address, protocols, { headers });
			connections.push(this[LOG]);
			this.on('message', (data: RawData) => {
				counter.bytes += byteLength(data);
			});
			this.on('close', (code: number) => {
				closeCodes.push(code);
				this[LOG].closeCode = code;
			});
		}

		override send(data: unknown, ...rest: unknown[]): void {
			// A y-protocols sync message (type 0) with step 2 (1) or update (2): what Tillit numbers.
			if (data instanceof Uint8Array && data[0] === 0 && (data[1] === 1 || data[1] === 2)) {
				this[LOG].sent.push({ at: performance.now(), kind: data[1] === 1 ? 'step2' : 'update' });
			}
			(super.send as (...args: unknown[]) => void)(data, ...rest);
		}
	}
	return CountingSocket as unknown as SocketClass;
}

function syncedPromise(isSynced: () => boolean, subscribe: (done: () => void) => void) {
	return new Promise<void>((resolve) => {
		if (isSynced()) resolve();
		else subscribe(resolve);
	});
}

export interface YWebsocketOptions {
	headers?: Record<string, string>;
	/** Reconnect backoff cap; y-websocket's default is 2.5 s. */
	maxBackoffTime?: number;
}

/** The stock y-websocket client (ref and tillit). */
export function connectYWebsocket(
	serverUrl: string,
	room: string,
	doc: Y.Doc,
	options: YWebsocketOptions = {}
): SyncClient & { provider: WebsocketProvider } {
	const counter = { bytes: 0 };
	const closeCodes: number[] = [];
	const connections: ConnectionLog[] = [];
	const provider = new WebsocketProvider(serverUrl, room, doc, {
		WebSocketPolyfill: socketClass(counter, closeCodes, connections, options.headers) as never,
		disableBc: true,
		maxBackoffTime: options.maxBackoffTime ?? 2500
	});
	const client: SyncClient & { provider: WebsocketProvider } = {
		doc,
		provider,
		closeCodes,
		connections,
		current: () => connections[connections.length - 1],
		bytesIn: () => counter.bytes,
		synced: syncedPromise(
			() => provider.synced,
			(done) => {
				const onSync = (state: boolean) => {
					if (!state) return;
					provider.off('sync', onSync);
					done();
				};
				provider.on('sync', onSync);
			}
		),
		destroy: () => provider.destroy()
	};
	// Tillit's own message types: "persisted" (count of committed update messages) and "access".
	provider.messageHandlers[MessageType.persisted] = (_encoder, decoder) => {
		const at = performance.now();
		const count = decoding.readVarUint(decoder);
		// Handlers only run for the provider's current socket, so the ack is that socket's.
		const socket = provider.ws as LoggedSocket | null;
		socket?.[LOG]?.acks.push({ at, count });
	};
	provider.messageHandlers[MessageType.access] = () => {};
	provider.messageHandlers[MessageType.moveRefused] = () => {
		serverRefusals.moves++;
	};
	return client;
}

/** Hocuspocus's provider, one socket per client like the others. */
export function connectHocuspocus(serverUrl: string, room: string, doc: Y.Doc): SyncClient {
	const counter = { bytes: 0 };
	const closeCodes: number[] = [];
	const connections: ConnectionLog[] = [];
	const socket = new HocuspocusProviderWebsocket({
		url: serverUrl,
		WebSocketPolyfill: socketClass(counter, closeCodes, connections)
	});
	const provider = new HocuspocusProvider({ websocketProvider: socket, name: room, document: doc });
	provider.attach(); // a provider given its socket does not attach by itself
	return {
		doc,
		closeCodes,
		connections,
		current: () => connections[connections.length - 1],
		bytesIn: () => counter.bytes,
		synced: syncedPromise(
			() => provider.synced,
			(done) => provider.on('synced', done)
		),
		destroy: () => {
			provider.destroy();
			socket.destroy();
		}
	};
}

/**
 * The floor's client: a socket on the byte relay. Local updates go out as they are; incoming
 * bytes are applied as updates. There is no server state, so "synced" means "open".
 */
export function connectRelay(serverUrl: string, room: string, doc: Y.Doc): SyncClient {
	const counter = { bytes: 0 };
	const closeCodes: number[] = [];
	const connections: ConnectionLog[] = [];
	const Socket = socketClass(counter, closeCodes, connections);
	const socket = new Socket(`${serverUrl}/${room}`);
	const remote = Symbol('relay');
	const onUpdate = (update: Uint8Array, origin: unknown) => {
		if (origin !== remote && socket.readyState === WebSocket.OPEN) socket.send(update);
	};
	doc.on('update', onUpdate);
	socket.on('message', (data: RawData) => {
		const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
		Y.applyUpdate(doc, bytes, remote);
	});
	return {
		doc,
		closeCodes,
		connections,
		current: () => connections[connections.length - 1],
		bytesIn: () => counter.bytes,
		synced: new Promise<void>((resolve, reject) => {
			socket.once('open', () => resolve());
			socket.once('error', reject);
		}),
		destroy: () => {
			doc.off('update', onUpdate);
			socket.terminate();
		}
	};
}
