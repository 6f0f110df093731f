import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, it } from 'vitest';
import * as Y from 'yjs';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import { encodeSyncUpdate } from '../../src/lib/sync/messages';
import { MessageType } from '../../src/lib/sync/protocol';
import { connectClient, connectRaw, waitOpen } from '../helpers/sync-client';
import { startSyncHarness, waitFor, type SyncHarness } from '../helpers/sync-harness';
import { seedSyncWorld, type SyncWorld } from '../helpers/sync-seed';
import { openTestDatabase } from '../helpers/test-database';
import { seedBoard } from '../helpers/seed';

let database: OpenDatabase;
let harness: SyncHarness;
let world: SyncWorld;
beforeAll(async () => {
	database = await openTestDatabase();
	world = await seedSyncWorld(database.db);
	harness = await startSyncHarness(database);
});
afterAll(async () => {
	await harness.close();
	await database.close();
});

function dangling(clientId: number): Uint8Array {
	const doc = new Y.Doc();
	doc.clientID = clientId;
	const m = doc.getMap('cards');
	m.set('x', 'y'.repeat(5));
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	m.delete('x');
	return updates[0]!;
}

it('measures', async () => {
	const board = await seedBoard(database.db, world.teamId);
	const colleague = connectClient(harness, board, { token: world.editor2.token });
	await waitFor(() => colleague.provider.synced, 'synced');
	global.gc?.();
	const before = process.memoryUsage().heapUsed;
	let sentBytes = 0;
	let closes = 0;
	let clientId = 1;
	while (sentBytes < 40 * 1024 * 1024) {
		const raw = connectRaw(harness, board, { token: world.editor.token });
		await waitOpen(raw);
		while (raw.isOpen && sentBytes < 40 * 1024 * 1024) {
			const frames: Uint8Array[] = [];
			for (let i = 0; i < 200; i++) frames.push(encodeSyncUpdate(dangling(clientId++)));
			for (const f of frames) {
				raw.socket.send(f);
				sentBytes += f.byteLength;
			}
			await new Promise((r) => setTimeout(r, 5));
		}
		const code = await raw.closed.catch(() => 0);
		if (code === 4413) closes++;
		if (raw.isOpen) raw.socket.terminate();
	}
	global.gc?.();
	const after = process.memoryUsage().heapUsed;
	console.log(
		`MEASURE dangling: sent ${(sentBytes / 1e6).toFixed(1)} MB, 4413 closes ${closes}, heap delta ${((after - before) / 1e6).toFixed(1)} MB`
	);
	// Awareness: 30 sockets of one person flooding presence for 2 s; count relayed updates/s seen by an observer.
	const observerSeen = { n: 0 };
	colleague.provider.awareness.on('change', () => observerSeen.n++);
	const sockets = await Promise.all(
		Array.from({ length: 30 }, async () => {
			const r = connectRaw(harness, board, { token: world.editor.token });
			await waitOpen(r).catch(() => {});
			return r;
		})
	);
	const start = performance.now();
	let clock = 1;
	while (performance.now() - start < 2000) {
		for (const [i, s] of sockets.entries()) {
			if (!s.isOpen) continue;
			const inner = encoding.createEncoder();
			encoding.writeVarUint(inner, 1);
			encoding.writeVarUint(inner, 900000 + i);
			encoding.writeVarUint(inner, clock);
			encoding.writeVarString(inner, JSON.stringify({ editing: `c${clock}` }));
			const outer = encoding.createEncoder();
			encoding.writeVarUint(outer, MessageType.awareness);
			encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
			s.socket.send(encoding.toUint8Array(outer));
		}
		clock++;
		await new Promise((r) => setTimeout(r, 10));
	}
	const seconds = (performance.now() - start) / 1000;
	await new Promise((r) => setTimeout(r, 200));
	const open = sockets.filter((s) => s.isOpen).length;
	console.log(
		`MEASURE awareness: 30 sockets of one person, ${(observerSeen.n / seconds).toFixed(1)} relayed changes/s, ${30 - open} closed`
	);
	for (const s of sockets) s.socket.terminate();
	colleague.destroy();
}, 300_000);
