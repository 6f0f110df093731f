/**
 * The database drops every connection of this test's database under load (what a failover or a
 * restart looks like to a pool, without restarting the Postgres that other test runs share). The
 * sync server must survive, retry its writes, and lose nothing.
 */
import pg from 'pg';
import { describe } from 'vitest';
import { adminUrl } from './harness';
import { describeDatabaseOutage } from './database-outage';

describe('database connections terminated under load', () => {
	describeDatabaseOutage('terminated connections', async (harness) => {
		const admin = new pg.Client({ connectionString: adminUrl() });
		await admin.connect();
		try {
			await admin.query(
				'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
				[harness.database.name]
			);
		} finally {
			await admin.end();
		}
	});
});
