/**
 * The little a board connection needs from a websocket, so the protocol code can be tested with a
 * fake and does not depend on `ws` beyond this file.
 */
import type { WebSocket } from 'ws';

export interface SyncSocket {
	send(data: Uint8Array): void;
	close(code: number, reason: string): void;
	/** Drops the connection without a closing handshake (dead peer, crash simulation). */
	terminate(): void;
	ping(): void;
	/** Bytes queued for sending but not yet handed to the network. */
	readonly bufferedAmount: number;
}

export interface SyncSocketEvents {
	message(data: Uint8Array, isBinary: boolean): void;
	pong(): void;
	closed(): void;
}

/** Wraps a `ws` socket; its events go to `events`. */
export function adaptWebSocket(ws: WebSocket, events: SyncSocketEvents): SyncSocket {
	ws.on('message', (data, isBinary) => {
		// The server's binaryType is the default 'nodebuffer', so `data` is one Buffer.
		const bytes = Array.isArray(data)
			? Buffer.concat(data)
			: data instanceof ArrayBuffer
				? new Uint8Array(data)
				: data;
		events.message(bytes, isBinary);
	});
	ws.on('pong', () => events.pong());
	ws.on('close', () => events.closed());
	// An 'error' without a listener would crash the process; 'close' follows every error.
	ws.on('error', () => {});
	return {
		send(data) {
			if (ws.readyState === ws.OPEN) ws.send(data);
		},
		close(code, reason) {
			if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason);
		},
		terminate() {
			ws.terminate();
		},
		ping() {
			if (ws.readyState === ws.OPEN) ws.ping();
		},
		get bufferedAmount() {
			return ws.bufferedAmount;
		}
	};
}
