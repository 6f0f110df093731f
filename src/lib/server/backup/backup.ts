/**
 * Backup and restore of a whole installation (issue 13, "backup and restore for admins"): every
 * table's rows in one file that reads back into PGlite or Postgres alike. Rows travel as Postgres's
 * own JSON of the row (`to_jsonb`) and are read back with `jsonb_populate_recordset`, so types —
 * bytea documents, timestamps to the microsecond, dates, arrays — survive exactly, and tables
 * other parts of the app add later are included without code here knowing them.
 *
 * The file is JSON lines (gzip'd by files.ts), each line an array:
 *   ["h", {format, version, createdAt, source, migrations}]   first
 *   ["t", table]  then  ["r", row]…  then  ["e", table, rowCount]   per table, in insertion order
 *   ["z", tableCount, totalRows]                                 last: a truncated file lacks it
 * Sessions are not kept (people sign in again); password hashes are, so people keep their
 * passwords: the file is as secret as the database. Framework-free.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';

export const BACKUP_FORMAT = 'tillit-backup';
export const BACKUP_VERSION = 1;
/** Tables a backup never holds: the migrator's own bookkeeping, and live sign-ins. */
const SKIPPED_TABLES = new Set(['kysely_migration', 'kysely_migration_lock', 'sessions']);
const READ_BATCH = 500;
const WRITE_BATCH = 500;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- backup works on whatever tables exist
type AnyDb = Kysely<any> | Transaction<any>;

export interface BackupHeader {
	format: typeof BACKUP_FORMAT;
	version: typeof BACKUP_VERSION;
	createdAt: string;
	source: string;
	migrations: string[];
}

export type RestoreOutcome =
	{ ok: true; tables: number; rows: number } | { ok: false; message: string };

async function appliedMigrations(db: AnyDb): Promise<string[]> {
	const result = await sql<{
		name: string;
	}>`select name from kysely_migration order by name`.execute(db);
	return result.rows.map((row) => row.name);
}

/**
 * The app's tables in an order that satisfies their foreign keys (parents first). Deferrable keys
 * are left out of the order: they are checked at commit, which is how a cycle is broken.
 */
export async function tablesInOrder(db: AnyDb): Promise<string[]> {
	const tables = await sql<{ name: string }>`
		select table_name as name from information_schema.tables
		where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name
	`.execute(db);
	const names = tables.rows.map((row) => row.name).filter((name) => !SKIPPED_TABLES.has(name));
	const keys = await sql<{ child: string; parent: string }>`
		select child.relname as child, parent.relname as parent
		from pg_constraint c
		join pg_class child on child.oid = c.conrelid
		join pg_class parent on parent.oid = c.confrelid
		join pg_namespace n on n.oid = c.connamespace
		where c.contype = 'f' and n.nspname = 'public' and not c.condeferrable
	`.execute(db);
	const parents = new Map(names.map((name) => [name, new Set<string>()]));
	for (const key of keys.rows) {
		if (key.child !== key.parent && parents.has(key.parent))
			parents.get(key.child)?.add(key.parent);
	}
	const ordered: string[] = [];
	const placed = new Set<string>();
	while (ordered.length < names.length) {
		const next = names.find(
			(name) => !placed.has(name) && [...parents.get(name)!].every((p) => placed.has(p))
		);
		if (!next)
			throw new Error('the tables’ foreign keys form a cycle that no deferrable key breaks');
		ordered.push(next);
		placed.add(next);
	}
	return ordered;
}

/** The backup as lines of text (each ends with \n). Reads in batches: memory stays flat. */
export async function* backupLines(
	db: AnyDb,
	source: string,
	now = new Date()
): AsyncGenerator<string> {
	const header: BackupHeader = {
		format: BACKUP_FORMAT,
		version: BACKUP_VERSION,
		createdAt: now.toISOString(),
		source,
		migrations: await appliedMigrations(db)
	};
	yield `${JSON.stringify(['h', header])}\n`;
	const tables = await tablesInOrder(db);
	let total = 0;
	for (const table of tables) {
		yield `${JSON.stringify(['t', table])}\n`;
		let count = 0;
		let after = '(0,0)';
		for (;;) {
			// Keyset over the physical row id: no sort on a column every table must have.
			const batch = await sql<{ c: string; j: string }>`
				select ctid::text as c, to_jsonb(t)::text as j from ${sql.table(table)} t
				where ctid > ${after}::tid order by ctid limit ${READ_BATCH}
			`.execute(db);
			for (const row of batch.rows) yield `["r",${row.j}]\n`;
			count += batch.rows.length;
			if (batch.rows.length < READ_BATCH) break;
			after = batch.rows[batch.rows.length - 1]!.c;
		}
		yield `${JSON.stringify(['e', table, count])}\n`;
		total += count;
	}
	yield `${JSON.stringify(['z', tables.length, total])}\n`;
}

type Line =
	| { kind: 'h'; header: BackupHeader }
	| { kind: 't'; table: string }
	| { kind: 'r'; row: Record<string, unknown> }
	| { kind: 'e'; table: string; count: number }
	| { kind: 'z'; tables: number; rows: number };

class BadBackup extends Error {}

function parseLine(text: string, number: number): Line {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		throw new BadBackup(`line ${number} is not valid JSON (the file is damaged or not a backup)`);
	}
	if (!Array.isArray(value) || typeof value[0] !== 'string') {
		throw new BadBackup(`line ${number} is not a backup line`);
	}
	const [kind, a, b] = value as [string, unknown, unknown];
	if (kind === 'h' && typeof a === 'object' && a !== null) {
		const header = a as Record<string, unknown>;
		if (header.format !== BACKUP_FORMAT) throw new BadBackup('this file is not a Tillit backup');
		if (header.version !== BACKUP_VERSION) {
			throw new BadBackup(`backup format version ${String(header.version)} is not supported`);
		}
		if (
			!Array.isArray(header.migrations) ||
			!header.migrations.every((m) => typeof m === 'string')
		) {
			throw new BadBackup('the backup’s header lacks its migrations');
		}
		return { kind, header: header as unknown as BackupHeader };
	}
	if (kind === 't' && typeof a === 'string') return { kind, table: a };
	if (kind === 'r' && typeof a === 'object' && a !== null && !Array.isArray(a)) {
		return { kind, row: a as Record<string, unknown> };
	}
	if (kind === 'e' && typeof a === 'string' && Number.isInteger(b)) {
		return { kind, table: a, count: b as number };
	}
	if (kind === 'z' && Number.isInteger(a) && Number.isInteger(b)) {
		return { kind, tables: a as number, rows: b as number };
	}
	throw new BadBackup(`line ${number} is not a backup line`);
}

async function insertRows(trx: AnyDb, table: string, rows: Record<string, unknown>[]) {
	if (rows.length === 0) return;
	await sql`
		insert into ${sql.table(table)}
		select * from jsonb_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::jsonb)
	`.execute(trx);
}

/** Serial columns continue after the restored ids (a new row must not collide with an old one). */
async function resetSequences(trx: AnyDb, tables: readonly string[]) {
	const serials = await sql<{ table: string; column: string }>`
		select table_name as "table", column_name as "column" from information_schema.columns
		where table_schema = 'public' and column_default like 'nextval(%'
	`.execute(trx);
	for (const { table, column } of serials.rows) {
		if (!tables.includes(table)) continue;
		await sql`
			select setval(pg_get_serial_sequence(${table}, ${column}),
				greatest(coalesce(max(${sql.ref(column)}), 0), 1), coalesce(max(${sql.ref(column)}), 0) > 0)
			from ${sql.table(table)}
		`.execute(trx);
	}
}

/**
 * Reads a backup into an EMPTY, migrated database, in one transaction: a damaged or truncated file,
 * another schema version or a database that already holds data → a message, and nothing stored.
 */
export async function restoreBackup(
	db: Kysely<Database>,
	lines: AsyncIterable<string>
): Promise<RestoreOutcome> {
	const known = await tablesInOrder(db);
	const migrations = await appliedMigrations(db);
	for (const table of known) {
		const found = await sql<{ filled: boolean }>`
			select exists (select 1 from ${sql.table(table)}) as filled
		`.execute(db);
		if (found.rows[0]?.filled) {
			return {
				ok: false,
				message: `the database is not empty (table ${table} has rows): restore into a new installation`
			};
		}
	}
	try {
		return await db.transaction().execute(async (trx): Promise<RestoreOutcome> => {
			await sql`set constraints all deferred`.execute(trx);
			let number = 0;
			let header: BackupHeader | null = null;
			let table: string | null = null;
			let rows: Record<string, unknown>[] = [];
			let tableRows = 0;
			let total = 0;
			const restored: string[] = [];
			let finished: { tables: number; rows: number } | null = null;
			for await (const text of lines) {
				number++;
				if (text.trim() === '') continue;
				if (finished) throw new BadBackup(`line ${number} follows the end of the backup`);
				const line = parseLine(text, number);
				if (!header) {
					if (line.kind !== 'h') throw new BadBackup('this file is not a Tillit backup');
					header = line.header;
					if (header.migrations.join('\n') !== migrations.join('\n')) {
						throw new BadBackup(
							`the backup was made by another version of Tillit (migrations ${header.migrations.at(-1) ?? 'none'}; this installation: ${migrations.at(-1) ?? 'none'})`
						);
					}
					continue;
				}
				switch (line.kind) {
					case 'h':
						throw new BadBackup(`line ${number}: a second header`);
					case 't':
						if (table) throw new BadBackup(`line ${number}: table ${table} was not closed`);
						if (!known.includes(line.table) || restored.includes(line.table)) {
							throw new BadBackup(`line ${number}: unknown or repeated table ${line.table}`);
						}
						table = line.table;
						tableRows = 0;
						break;
					case 'r':
						if (!table) throw new BadBackup(`line ${number}: a row outside a table`);
						rows.push(line.row);
						tableRows++;
						if (rows.length >= WRITE_BATCH) {
							await insertRows(trx, table, rows);
							rows = [];
						}
						break;
					case 'e':
						if (table !== line.table || line.count !== tableRows) {
							throw new BadBackup(`line ${number}: table ${line.table} is incomplete`);
						}
						await insertRows(trx, table, rows);
						rows = [];
						restored.push(table);
						total += tableRows;
						table = null;
						break;
					case 'z':
						if (table || line.tables !== restored.length || line.rows !== total) {
							throw new BadBackup(`line ${number}: the backup's totals do not match its rows`);
						}
						finished = { tables: line.tables, rows: line.rows };
						break;
				}
			}
			if (!header) throw new BadBackup('the file is empty');
			if (!finished) throw new BadBackup('the backup is truncated (its last line is missing)');
			await resetSequences(trx, restored);
			// Deferred keys are checked here, inside the transaction, so a failure rolls back.
			await sql`set constraints all immediate`.execute(trx);
			return { ok: true, ...finished };
		});
	} catch (error) {
		if (error instanceof BadBackup) return { ok: false, message: error.message };
		const message = error instanceof Error ? error.message : String(error);
		return { ok: false, message: `the database refused the backup's rows: ${message}` };
	}
}
