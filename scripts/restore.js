// `npm run restore -- file`: reads a backup (npm run backup) into this installation, which must be
// empty (a new DATABASE_URL database, or a new TILLIT_DATA_DIR): it is migrated first, then filled
// in one transaction. A damaged or foreign file stops with a message and leaves nothing behind.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { withRuntime } from './with-runtime.js';

const file = process.argv[2];
if (!file || !existsSync(file)) {
	console.error('Usage: npm run restore -- <backup file>  (the file must exist)');
	process.exit(1);
}
await withRuntime(
	'restore',
	[`export { restoreBackupFile } from './src/lib/server/backup/files';`],
	async (mod, runtime) => {
		const outcome = await mod.restoreBackupFile(runtime.database.db, path.resolve(file));
		if (outcome.ok) {
			console.log(
				`Restored ${outcome.rows} rows in ${outcome.tables} tables into the ${runtime.database.kind} database.`
			);
		} else {
			console.error(`Restore refused: ${outcome.message}. Nothing was stored.`);
			process.exitCode = 1;
		}
	},
	{ failure: 'Restore failed: ' }
);
