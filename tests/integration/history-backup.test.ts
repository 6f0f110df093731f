/**
 * Backup and restore of a whole installation (issue 13): a populated install is backed up to one
 * file and restored into an empty install on the OTHER database (PGlite ↔ Postgres), and every
 * table — so every page — holds the same data. Bad files give a message and store nothing.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCard } from '../../src/lib/board/document';
import { copyCard } from '../../src/lib/board/card-copy';
import { restoreBackupFile, writeBackupFile } from '../../src/lib/server/backup/files';
import { tablesInOrder } from '../../src/lib/server/backup/backup';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { openDatabase, type OpenDatabase } from '../../src/lib/server/db/open';
import type { Database } from '../../src/lib/server/db/schema';
import { recordVersion } from '../../src/lib/server/history/versions';
import { recordTrash } from '../../src/lib/server/trash';
import { seedBoardCards, seedSyncWorld, type SyncWorld } from '../helpers/sync-seed';
import { testBackend } from '../helpers/test-backend';
import { openTestDatabase } from '../helpers/test-database';

let source: OpenDatabase;
let world: SyncWorld;
let dir: string;
const opened: OpenDatabase[] = [];
const dropAfter: string[] = [];

/** A new, migrated, empty install on the other database than the source's (see file comment). */
async function emptyInstallOnOtherDatabase(): Promise<OpenDatabase> {
	let database: OpenDatabase;
	if (testBackend() === 'pglite' && process.env.TEST_DATABASE_URL) {
		const name = `tillit_restore_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
		const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
		await admin.connect();
		await admin.query(`create database ${name}`);
		await admin.end();
		dropAfter.push(name);
		const url = new URL(process.env.TEST_DATABASE_URL);
		url.pathname = `/${name}`;
		database = await openDatabase({ databaseUrl: url.toString(), maxConnections: 2 });
	} else {
		database = await openDatabase({ maxConnections: 2 });
	}
	opened.push(database);
	const migrated = await migrateToLatest(database.db, path.resolve('migrations'));
	expect(migrated.ok).toBe(true);
	return database;
}

/** Every table's rows as Postgres's own JSON, sorted: equal means the same data. */
async function everything(db: Kysely<Database>): Promise<Record<string, string[]>> {
	const out: Record<string, string[]> = {};
	for (const table of await tablesInOrder(db)) {
		const rows = await sql<{
			j: string;
		}>`select to_jsonb(t)::text as j from ${sql.table(table)} t`.execute(db);
		out[table] = rows.rows.map((row) => row.j).sort();
	}
	return out;
}

beforeAll(async () => {
	source = await openTestDatabase();
	dir = await mkdtemp(path.join(os.tmpdir(), 'tillit-backup-'));
	world = await seedSyncWorld(source.db);
	const { cardIds } = await seedBoardCards(source.db, world.boardId, 25, world.editor.id);
	await seedBoardCards(source.db, world.otherTeamBoardId, 4, world.editor.id);
	const doc = new Y.Doc();
	const gone = createCard(doc, { title: 'Borttaget kort', userId: world.editor.id });
	await recordTrash(source.db, world.boardId, world.editor.id, [
		{ id: gone, copy: copyCard(doc, gone)! }
	]);
	await recordVersion(source.db, {
		boardId: world.boardId,
		kind: 'named',
		name: 'Före omorganisationen',
		createdBy: world.editor.id,
		activeUserIds: [world.editor.id],
		cardsChanged: cardIds.length,
		state: Y.encodeStateAsUpdate(doc),
		cardCount: 1
	});
	await source.db
		.updateTable('organisations')
		.set({ open_signup_domain: 'example.se', open_signup_team_id: world.teamId })
		.where('id', '=', world.organisationId)
		.execute();
});

afterAll(async () => {
	for (const database of opened) await database.close();
	for (const name of dropAfter) {
		const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
		await admin.connect();
		await admin.query(`drop database if exists ${name} with (force)`);
		await admin.end();
	}
	await source.close();
	await rm(dir, { recursive: true, force: true });
});

describe('backup → restore', () => {
	// Two new installs are made (PGlite's initdb alone takes seconds on a busy machine).
	it(
		'restores a populated install into an empty one on the other database, every row the same',
		{ timeout: 120_000 },
		async () => {
			const file = path.join(dir, 'tillit.backup.gz');
			await writeBackupFile(source.db, source.kind, file);
			const target = await emptyInstallOnOtherDatabase();
			expect(target.kind === source.kind && process.env.TEST_DATABASE_URL).toBeFalsy();

			const outcome = await restoreBackupFile(target.db, file);
			expect(outcome).toMatchObject({ ok: true });
			const before = await everything(source.db);
			const after = await everything(target.db);
			delete before.sessions;
			expect(after).toEqual(before);
			expect(after.cards!.length).toBe(29);
			expect(after.board_snapshots!.length).toBe(2);
			// Serial ids continue after the restored ones.
			const [event] = await sql<{
				next: string;
			}>`select nextval(pg_get_serial_sequence('card_events', 'id'))::text as next`
				.execute(target.db)
				.then((r) => r.rows);
			const maxEvent = Math.max(...after.card_events!.map((row) => JSON.parse(row).id as number));
			expect(Number(event!.next)).toBe(maxEvent + 1);

			// And back again onto the source's kind of database: the same file format both ways.
			const second = path.join(dir, 'again.backup.gz');
			await writeBackupFile(target.db, target.kind, second);
			const third = await (async () => {
				const database = await openDatabase({ maxConnections: 2 });
				opened.push(database);
				await migrateToLatest(database.db, path.resolve('migrations'));
				return database;
			})();
			expect(await restoreBackupFile(third.db, second)).toMatchObject({ ok: true });
			expect(await everything(third.db)).toEqual(before);
		}
	);

	it(
		'refuses a damaged, truncated, foreign or misplaced file with a message and stores nothing',
		{ timeout: 120_000 },
		async () => {
			const file = path.join(dir, 'good.backup.gz');
			await writeBackupFile(source.db, source.kind, file);
			const lines = gunzipSync(await readFile(file))
				.toString('utf8')
				.split('\n');
			const target = await emptyInstallOnOtherDatabase();
			const empty = await everything(target.db);

			const cases: [string, Buffer | string, RegExp][] = [
				['truncated', gzipSync(lines.slice(0, -3).join('\n')), /truncated/],
				['cut gzip', (await readFile(file)).subarray(0, 200), /damaged|truncated/],
				['not json', 'hello\nworld', /not valid JSON/],
				['not a backup', JSON.stringify(['h', { format: 'other' }]), /not a Tillit backup/],
				[
					'unknown table',
					[lines[0], JSON.stringify(['t', 'pg_authid']), ''].join('\n'),
					/unknown or repeated table/
				],
				[
					'bad row',
					[
						lines[0],
						JSON.stringify(['t', 'organisations']),
						'["r",{"id":null}]',
						JSON.stringify(['e', 'organisations', 1]),
						JSON.stringify(['z', 1, 1])
					].join('\n'),
					/refused/
				],
				[
					'other version',
					[
						JSON.stringify(['h', { ...JSON.parse(lines[0]!)[1], migrations: ['x'] }]),
						...lines.slice(1)
					].join('\n'),
					/another version/
				]
			];
			for (const [what, bytes, message] of cases) {
				const bad = path.join(dir, `${what.replaceAll(' ', '-')}.backup`);
				await writeFile(bad, bytes);
				const outcome = await restoreBackupFile(target.db, bad);
				expect(outcome, what).toMatchObject({ ok: false });
				expect(outcome.ok ? '' : outcome.message, what).toMatch(message);
				expect(await everything(target.db), what).toEqual(empty);
			}
			// A database that already holds data is never overwritten.
			const full = await restoreBackupFile(source.db, file);
			expect(full).toMatchObject({ ok: false });
			expect(full.ok ? '' : full.message).toMatch(/not empty/);
		}
	);
});
