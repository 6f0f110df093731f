/**
 * Access changes reaching open sockets: through notifyAccessChanged (what SvelteKit code calls
 * after a role change, removal, sign-out) and through the periodic re-check (the backstop).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCard, readCards } from '../../src/lib/board/document';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import { invalidateSession } from '../../src/lib/server/session';
import { notifyAccessChanged } from '../../src/lib/server/sync/access-changes';
import { CloseCode } from '../../src/lib/sync/protocol';
import { connectClient, type TestClient } from '../helpers/sync-client';
import { startSyncHarness, waitFor, type SyncHarness } from '../helpers/sync-harness';
import { seedPerson, seedSyncWorld, type SyncWorld } from '../helpers/sync-seed';
import { openTestDatabase } from '../helpers/test-database';

let database: OpenDatabase;
let harness: SyncHarness;
let world: SyncWorld;
const clients: TestClient[] = [];

function client(token: string): TestClient {
	const c = connectClient(harness, world.boardId, { token });
	clients.push(c);
	return c;
}

async function newMember() {
	return seedPerson(database.db, world.organisationId, world.teamId, 'member', 'Ny Medlem');
}

function setRole(userId: string, role: string) {
	return database.db
		.updateTable('team_members')
		.set({ role })
		.where('team_id', '=', world.teamId)
		.where('user_id', '=', userId)
		.execute();
}

beforeAll(async () => {
	database = await openTestDatabase();
	world = await seedSyncWorld(database.db);
	harness = await startSyncHarness(database);
});

afterAll(async () => {
	for (const c of clients) c.destroy();
	await harness.close();
	await database.close();
});

describe('access changes on open sockets', () => {
	it('reconnects a demoted editor as a viewer whose edits are then dropped', async () => {
		const person = await newMember();
		const demoted = client(person.token);
		const watcher = client(world.editor.token);
		await waitFor(() => demoted.provider.synced && watcher.provider.synced, 'both synced');
		expect(demoted.access).toEqual({ role: 'member', canEdit: true });

		await setRole(person.id, 'viewer');
		await notifyAccessChanged({ userId: person.id, teamId: world.teamId });
		await waitFor(
			() => demoted.closeCodes.includes(CloseCode.accessChanged),
			'closed for reconnect'
		);
		await waitFor(
			() => demoted.provider.synced && demoted.access?.canEdit === false,
			'back as viewer'
		);
		expect(demoted.access).toEqual({ role: 'viewer', canEdit: false });

		const dropped = createCard(demoted.doc, { title: 'Efter degradering', userId: person.id });
		const kept = createCard(watcher.doc, { title: 'Från redigeraren', userId: world.editor.id });
		await waitFor(() => readCards(demoted.doc).some((c) => c.id === kept), 'viewer still receives');
		await waitFor(() => watcher.saved, 'editor saved');
		expect(readCards(watcher.doc).some((c) => c.id === dropped)).toBe(false);
	});

	it('closes a removed member with 4403, and the client stops retrying', async () => {
		const person = await newMember();
		const removed = client(person.token);
		await waitFor(() => removed.provider.synced, 'synced');
		await database.db
			.deleteFrom('team_members')
			.where('team_id', '=', world.teamId)
			.where('user_id', '=', person.id)
			.execute();
		await notifyAccessChanged({ userId: person.id, teamId: world.teamId });
		await waitFor(() => removed.closeCodes.includes(CloseCode.forbidden), 'closed with 4403');
		expect(removed.provider.shouldConnect).toBe(false);
	});

	it('closes a signed-out session with 4401 and leaves the user’s other sessions open', async () => {
		const person = await newMember();
		const signedOut = client(person.token);
		const other = await seedPerson(database.db, world.organisationId, world.teamId, 'member');
		const stays = client(other.token);
		await waitFor(() => signedOut.provider.synced && stays.provider.synced, 'synced');
		await invalidateSession(database.db, person.sessionId);
		await notifyAccessChanged({ sessionId: person.sessionId });
		await waitFor(
			() => signedOut.closeCodes.includes(CloseCode.unauthenticated),
			'closed with 4401'
		);
		expect(stays.closeCodes).toEqual([]);
	});

	it('tells a client its new role live when editing rights do not change', async () => {
		const person = await newMember();
		const promoted = client(person.token);
		await waitFor(() => promoted.provider.synced, 'synced');
		await setRole(person.id, 'manager');
		await notifyAccessChanged({ userId: person.id });
		await waitFor(() => promoted.access?.role === 'manager', 'new role announced');
		expect(promoted.closeCodes).toEqual([]);
		expect(promoted.access).toEqual({ role: 'manager', canEdit: true });
	});

	it('catches a change nobody announced with the periodic re-check', async () => {
		harness.restart({ revalidateEveryMs: 300 });
		const person = await newMember();
		const forgotten = client(person.token);
		await waitFor(() => forgotten.provider.synced, 'synced');
		await database.db
			.deleteFrom('team_members')
			.where('team_id', '=', world.teamId)
			.where('user_id', '=', person.id)
			.execute();
		await waitFor(
			() => forgotten.closeCodes.includes(CloseCode.forbidden),
			'closed by the re-check'
		);
		expect(forgotten.provider.shouldConnect).toBe(false);
	});
});
