/**
 * Prepares one migrated template database per run, so each test file starts from a copy instead
 * of running initdb + migrations itself (initdb alone takes ~8 s on PGlite):
 * - PGlite: a migrated in-memory database dumped to a tarball; files restore it (~0.6 s).
 * - Postgres (TEST_DB=postgres, TEST_DATABASE_URL): a migrated template database; files create
 *   their own database from it (`create database … template …`).
 */
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/lib/server/db/open';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { adminConnectionString, newTemplateDbName, testBackend } from '../helpers/test-backend';

const migrationsDir = path.resolve('migrations');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const backend = testBackend();
	if (backend === 'postgres') {
		const TEMPLATE_DB_NAME = newTemplateDbName();
		const admin = new pg.Client({ connectionString: adminConnectionString() });
		await admin.connect();
		await admin.query(`drop database if exists ${TEMPLATE_DB_NAME} with (force)`);
		await admin.query(`create database ${TEMPLATE_DB_NAME}`);
		await admin.end();
		const url = new URL(adminConnectionString());
		url.pathname = `/${TEMPLATE_DB_NAME}`;
		const database = await openDatabase({ databaseUrl: url.toString(), maxConnections: 2 });
		const outcome = await migrateToLatest(database.db, migrationsDir);
		await database.close();
		if (!outcome.ok) throw new Error(`template migration failed: ${outcome.message}`);
		project.provide('templateDump', '');
		project.provide('templateDbName', TEMPLATE_DB_NAME);
		return async () => {
			const cleanup = new pg.Client({ connectionString: adminConnectionString() });
			await cleanup.connect();
			await cleanup.query(`drop database if exists ${TEMPLATE_DB_NAME} with (force)`);
			await cleanup.end();
		};
	}

	const database = await openDatabase({ maxConnections: 2 });
	const outcome = await migrateToLatest(database.db, migrationsDir);
	if (!outcome.ok) throw new Error(`template migration failed: ${outcome.message}`);
	const dir = await mkdtemp(path.join(os.tmpdir(), 'tillit-template-'));
	const dumpFile = path.join(dir, 'template.tar.gz');
	const dump = await database.dumpDataDir?.();
	if (!dump) throw new Error('PGlite dump unavailable');
	await writeFile(dumpFile, Buffer.from(await dump.arrayBuffer()));
	await database.close();
	project.provide('templateDump', dumpFile);
	project.provide('templateDbName', '');
	return async () => {
		await rm(dir, { recursive: true, force: true });
	};
}

declare module 'vitest' {
	export interface ProvidedContext {
		templateDump: string;
		templateDbName: string;
	}
}
