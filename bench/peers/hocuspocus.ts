/**
 * Hocuspocus 4 with no extensions (no persistence, and no Throttle: it would ban every loopback
 * client after 15 connections), quiet, on a free loopback port.
 */
import { Server } from '@hocuspocus/server';
import { serveBenchIpc } from './child-ipc';

const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: false });
await server.listen();
serveBenchIpc(server.address.port, async () => {
	await server.destroy();
});
