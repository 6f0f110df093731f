/**
 * The reference: @y/websocket-server 0.1.1's own connection handler, in memory, no auth — set up
 * the way its README's server does (path = document name, gc on).
 */
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';
import { serveBenchIpc } from './child-ipc';

const server = http.createServer((_request, response) => response.writeHead(404).end());
const wss = new WebSocketServer({ noServer: true });
wss.on('connection', setupWSConnection);
server.on('upgrade', (request, socket, head) => {
	wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});

server.listen(0, '127.0.0.1', () => {
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	serveBenchIpc(port, async () => {
		for (const client of wss.clients) client.terminate();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	});
});
