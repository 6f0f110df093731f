/**
 * Postgres restarted under load (full suite only: it restarts the machine's Postgres cluster, which
 * other test runs share). The sync server must survive, retry its writes, and lose nothing: after
 * Postgres is back every edit is acknowledged and stored, the projection equal to the document.
 * The reduced suite runs the same check with only this database's connections terminated
 * (postgres-connections.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe } from 'vitest';
import { describeDatabaseOutage } from './database-outage';

function restartPostgres(): Promise<void> {
	const [version] = readdirSync('/etc/postgresql');
	execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version!, 'main', 'restart'], {
		stdio: 'ignore'
	});
	return Promise.resolve();
}

describe('Postgres restart under load', () => {
	describeDatabaseOutage('a restart of the whole cluster', () => restartPostgres());
});
