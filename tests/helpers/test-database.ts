/**
 * One fresh, migrated database per test file (or per call), on the backend TEST_DB names.
 * Usage: `const database = await openTestDatabase(); … await database.close();`
 */
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type OpenDatabase } from '../../src/lib/server/db/open';
import { adminConnectionString, testBackend } from './test-backend';

export async function openTestDatabase(): Promise<OpenDatabase> {
	if (testBackend() === 'postgres') {
		const name = `tillit_test_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
		const admin = new pg.Client({ connectionString: adminConnectionString() });
		await admin.connect();
		await admin.query(`create database ${name} template ${inject('templateDbName')}`);
		await admin.end();
		const url = new URL(adminConnectionString());
		url.pathname = `/${name}`;
		const database = await openDatabase({ databaseUrl: url.toString() });
		return {
			...database,
			async close() {
				await database.close();
				const cleanup = new pg.Client({ connectionString: adminConnectionString() });
				await cleanup.connect();
				await cleanup.query(`drop database if exists ${name} with (force)`);
				await cleanup.end();
			}
		};
	}
	const dump = await readFile(inject('templateDump'));
	return openDatabase({ loadDataDir: new Blob([dump]) });
}
