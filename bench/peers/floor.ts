/**
 * The physical floor: a `ws` server that parses nothing. /echo sends every frame back; /relay/<room>
 * forwards every frame to the room's other sockets byte for byte (what a sync server does at
 * best, minus all the sync work).
 */
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { serveBenchIpc } from './child-ipc';

const rooms = new Map<string, Set<WebSocket>>();
const server = http.createServer((_request, response) => response.writeHead(404).end());
const wss = new WebSocketServer({ server, maxPayload: 64 * 1024 * 1024 });

wss.on('connection', (socket, request) => {
	const path = request.url ?? '/';
	if (path === '/echo') {
		socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
		return;
	}
	const room = path;
	let members = rooms.get(room);
	if (!members) rooms.set(room, (members = new Set()));
	members.add(socket);
	socket.on('message', (data, isBinary) => {
		for (const other of members) if (other !== socket) other.send(data, { binary: isBinary });
	});
	socket.on('close', () => {
		members.delete(socket);
		if (members.size === 0) rooms.delete(room);
	});
});

server.listen(0, '127.0.0.1', () => {
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	serveBenchIpc(port, async () => {
		for (const client of wss.clients) client.terminate();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	});
});
