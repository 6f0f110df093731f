/**
 * Test clients for the sync server: the stock y-websocket WebsocketProvider in Node (with `ws`
 * carrying the session cookie and Origin a browser would send), and a raw socket for frames no
 * well-behaved client sends.
 */
import * as decoding from 'lib0/decoding';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Role } from '../../src/lib/roles';
import { SESSION_COOKIE } from '../../src/lib/server/session';
import {
	readAccess,
	readMoveRefused,
	readPersisted,
	SyncStep,
	type MoveRefusal
} from '../../src/lib/sync/messages';
import { MessageType } from '../../src/lib/sync/protocol';
import type { SyncHarness } from './sync-harness';

export interface ClientCredentials {
	/** The session token (the cookie's value); omitted = no cookie. */
	token?: string;
	/** Defaults to the harness's own origin. */
	origin?: string;
	/** Any other cookie, as `name=value` (e.g. a stand-up TV's display cookie). */
	cookie?: string;
}

/** Where a client connects: the integration harness, or the e2e server (tests/e2e). */
export type SyncEndpoint = Pick<SyncHarness, 'serverUrl' | 'origin'>;

function headersFor(harness: SyncEndpoint, credentials: ClientCredentials): Record<string, string> {
	const headers: Record<string, string> = { origin: credentials.origin ?? harness.origin };
	const cookies = [
		...(credentials.token ? [`${SESSION_COOKIE}=${credentials.token}`] : []),
		...(credentials.cookie ? [credentials.cookie] : [])
	];
	if (cookies.length > 0) headers.cookie = cookies.join('; ');
	return headers;
}

/** A `ws` WebSocket that sends the given headers on every connection (what a browser does itself). */
function webSocketWithHeaders(headers: Record<string, string>): typeof globalThis.WebSocket {
	class HeaderWebSocket extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers });
		}
	}
	return HeaderWebSocket as unknown as typeof globalThis.WebSocket;
}

export interface TestClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	/** Update-bearing messages sent on the current connection (see MessageType.persisted). */
	readonly sent: number;
	/** The last persisted count the server acknowledged on the current connection. */
	readonly persisted: number;
	/** True when everything sent on the current connection is acknowledged as committed. */
	readonly saved: boolean;
	readonly access: { role: Role; canEdit: boolean } | null;
	/** Close codes of every connection that ended, in order. */
	readonly closeCodes: number[];
	/** Messages received on all connections so far. */
	readonly received: number;
	/** Stage changes the server undid and said why (MessageType.moveRefused), oldest first. */
	readonly refusals: MoveRefusal[];
	destroy(): void;
}

export function connectClient(
	harness: SyncEndpoint,
	boardId: string,
	credentials: ClientCredentials,
	options: { doc?: Y.Doc; connect?: boolean } = {}
): TestClient {
	const doc = options.doc ?? new Y.Doc();
	const provider = new WebsocketProvider(harness.serverUrl, boardId, doc, {
		WebSocketPolyfill: webSocketWithHeaders(headersFor(harness, credentials)),
		// In one process every provider would also sync through BroadcastChannel, around the server.
		disableBc: true,
		maxBackoffTime: 300,
		connect: options.connect ?? true
	});
	const state = {
		sent: 0,
		persisted: 0,
		received: 0,
		access: null as { role: Role; canEdit: boolean } | null,
		closeCodes: [] as number[],
		refusals: [] as MoveRefusal[]
	};
	provider.on('status', ({ status }) => {
		// Counts are per connection.
		if (status === 'connected') {
			state.sent = 0;
			state.persisted = 0;
		}
	});
	provider.on('connection-close', (event) => {
		if (event) state.closeCodes.push(event.code);
	});
	const syncHandler = provider.messageHandlers[MessageType.sync]!;
	provider.messageHandlers[MessageType.sync] = (encoder, decoder, p, emitSynced, type) => {
		state.received++;
		// The provider answers the server's SyncStep1 with a SyncStep2: one update-bearing message.
		if (decoding.peekVarUint(decoder) === SyncStep.step1) state.sent++;
		syncHandler(encoder, decoder, p, emitSynced, type);
	};
	const awarenessHandler = provider.messageHandlers[MessageType.awareness]!;
	provider.messageHandlers[MessageType.awareness] = (...args) => {
		state.received++;
		awarenessHandler(...args);
	};
	provider.messageHandlers[MessageType.persisted] = (_encoder, decoder) => {
		state.received++;
		state.persisted = readPersisted(decoder);
	};
	provider.messageHandlers[MessageType.access] = (_encoder, decoder) => {
		state.received++;
		state.access = readAccess(decoder);
	};
	provider.messageHandlers[MessageType.moveRefused] = (_encoder, decoder) => {
		state.received++;
		const refusal = readMoveRefused(decoder);
		if (refusal) state.refusals.push(refusal);
	};
	doc.on('update', (_update: Uint8Array, origin: unknown) => {
		// The provider sends each local update at once while its socket is open.
		if (origin !== provider && provider.wsconnected && provider.ws?.readyState === WebSocket.OPEN) {
			state.sent++;
		}
	});
	return {
		doc,
		provider,
		get sent() {
			return state.sent;
		},
		get persisted() {
			return state.persisted;
		},
		get saved() {
			return provider.synced && state.persisted === state.sent;
		},
		get access() {
			return state.access;
		},
		get closeCodes() {
			return state.closeCodes;
		},
		get received() {
			return state.received;
		},
		get refusals() {
			return state.refusals;
		},
		destroy() {
			provider.destroy();
		}
	};
}

export interface RawClient {
	socket: WebSocket;
	messages: Uint8Array[];
	/** Resolves with the close code once the server closes the socket. */
	closed: Promise<number>;
	readonly isOpen: boolean;
}

/** A bare websocket to /sync/<board>, for frames the stock client would never send. */
export function connectRaw(
	harness: SyncHarness,
	boardId: string,
	credentials: ClientCredentials
): RawClient {
	const socket = new WebSocket(`${harness.serverUrl}/${boardId}`, {
		headers: headersFor(harness, credentials)
	});
	const messages: Uint8Array[] = [];
	socket.on('message', (data: Buffer) => messages.push(new Uint8Array(data)));
	socket.on('error', () => {});
	const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
	return {
		socket,
		messages,
		closed,
		get isOpen() {
			return socket.readyState === WebSocket.OPEN;
		}
	};
}

export function waitOpen(raw: RawClient): Promise<void> {
	if (raw.isOpen) return Promise.resolve();
	return new Promise((resolve, reject) => {
		raw.socket.once('open', () => resolve());
		raw.socket.once('close', (code) => reject(new Error(`closed with ${code} before opening`)));
	});
}
