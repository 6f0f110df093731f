/**
 * Runs the plain SQL files in /migrations with Kysely's Migrator. Each file is one migration,
 * applied in name order inside its own transaction, so a failing file leaves nothing behind.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

class SqlFileMigrationProvider implements MigrationProvider {
	constructor(private readonly folder: string) {}

	async getMigrations(): Promise<Record<string, Migration>> {
		const files = (await readdir(this.folder)).filter((f) => f.endsWith('.sql')).sort();
		const migrations: Record<string, Migration> = {};
		for (const file of files) {
			const text = await readFile(path.join(this.folder, file), 'utf8');
			migrations[file.replace(/\.sql$/, '')] = {
				// No parameters, so pg sends the whole file as one simple query (several statements).
				up: async (db) => {
					await sql.raw(text).execute(db);
				}
			};
		}
		return migrations;
	}
}

export type MigrationOutcome =
	{ ok: true; applied: string[] } | { ok: false; failed: string | undefined; message: string };

export async function migrateToLatest(
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works on any schema
	db: Kysely<any>,
	migrationsFolder: string
): Promise<MigrationOutcome> {
	const migrator = new Migrator({
		db,
		provider: new SqlFileMigrationProvider(migrationsFolder),
		migrationTableName: 'kysely_migration',
		migrationLockTableName: 'kysely_migration_lock'
	});
	const { error, results = [] } = await migrator.migrateToLatest();
	const applied = results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
	if (error) {
		const failed = results.find((r) => r.status === 'Error')?.migrationName;
		const message = error instanceof Error ? error.message : String(error);
		return { ok: false, failed, message };
	}
	return { ok: true, applied };
}
