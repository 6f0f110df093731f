// `npm run restore -- file`: reads a backup (npm run backup) into this installation, which must be
// empty (a new DATABASE_URL database, or a new TILLIT_DATA_DIR): it is migrated first, then filled
// in one transaction. A damaged or foreign file stops with a message and leaves nothing behind.
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const file = process.argv[2];
if (!file || !existsSync(file)) {
	console.error('Usage: npm run restore -- <backup file>  (the file must exist)');
	process.exit(1);
}
const outfile = path.resolve('node_modules/.cache/tillit/restore.mjs');
await build({
	stdin: {
		contents: `export { getRuntime, closeRuntime, readRuntimeConfig } from './src/lib/server/runtime';
export { restoreBackupFile } from './src/lib/server/backup/files';`,
		resolveDir: process.cwd(),
		loader: 'ts'
	},
	outfile,
	bundle: true,
	platform: 'node',
	format: 'esm',
	packages: 'external',
	logLevel: 'warning'
});
const mod = await import(pathToFileURL(outfile).href);
try {
	const runtime = await mod.getRuntime(mod.readRuntimeConfig(process.env, process.cwd()));
	const outcome = await mod.restoreBackupFile(runtime.database.db, path.resolve(file));
	if (outcome.ok) {
		console.log(
			`Restored ${outcome.rows} rows in ${outcome.tables} tables into the ${runtime.database.kind} database.`
		);
	} else {
		console.error(`Restore refused: ${outcome.message}. Nothing was stored.`);
		process.exitCode = 1;
	}
	await mod.closeRuntime();
} catch (error) {
	console.error(`Restore failed: ${String(error instanceof Error ? error.message : error)}`);
	process.exitCode = 1;
} finally {
	rmSync(outfile, { force: true });
}
