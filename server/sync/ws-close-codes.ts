/**
 * `ws` closes a socket itself when a frame breaks its own rules: 1009 for a frame over its
 * maxPayload, 1002/1007 for a broken frame. The stock y-websocket client treats every code outside
 * 4400–4499 as temporary and sends the same frame again, forever (31 reconnects in 10 s for one
 * 9 MB frame). The server's own limit (maxMessageBytes, checked in board-connection.ts) sits below
 * ws's, so a frame just over it gets 4413 from us; this maps what ws still closes by itself to the
 * same permanent codes. ws has no option for it, so the socket's close is wrapped: ws's receiver
 * calls `websocket.close(code)` on such an error (ws 8, lib/websocket.js receiverOnError).
 */
import type { WebSocket } from 'ws';
import { CloseCode } from '../../src/lib/sync/protocol';

const PERMANENT_FOR: ReadonlyMap<number, { code: number; reason: string }> = new Map([
	[1009, { code: CloseCode.messageTooLarge, reason: 'message too large' }],
	[1002, { code: CloseCode.badMessage, reason: 'bad message: invalid frame' }],
	[1007, { code: CloseCode.badMessage, reason: 'bad message: invalid frame data' }]
]);

export function closeFrameErrorsPermanently(ws: WebSocket): void {
	const close = ws.close.bind(ws);
	ws.close = (code?: number, reason?: string | Buffer) => {
		const permanent = code === undefined ? undefined : PERMANENT_FOR.get(code);
		if (permanent) close(permanent.code, permanent.reason);
		else close(code, reason);
	};
}
