// `npm run backup [-- file]`: writes the whole installation (DATABASE_URL, or PGlite in
// TILLIT_DATA_DIR) to one gzip'd file, default ./tillit-backup-<date>.gz. Restore it with
// `npm run restore -- file` into an empty installation, on PGlite or Postgres.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { withRuntime } from './with-runtime.js';

const file = path.resolve(
	process.argv[2] ?? `tillit-backup-${new Date().toISOString().replaceAll(':', '').slice(0, 15)}.gz`
);
await withRuntime(
	'backup',
	[`export { writeBackupFile } from './src/lib/server/backup/files';`],
	async (mod, runtime) => {
		const started = performance.now();
		await mod.writeBackupFile(runtime.database.db, runtime.database.kind, file);
		const seconds = ((performance.now() - started) / 1000).toFixed(1);
		console.log(
			`Backup of the ${runtime.database.kind} database written to ${file} (${seconds} s).`
		);
	},
	{ failure: 'Backup failed: ', onFailure: () => rmSync(file, { force: true }) }
);
