// `npm run backup [-- file]`: writes the whole installation (DATABASE_URL, or PGlite in
// TILLIT_DATA_DIR) to one gzip'd file, default ./tillit-backup-<date>.gz. Restore it with
// `npm run restore -- file` into an empty installation, on PGlite or Postgres.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const file = path.resolve(
	process.argv[2] ?? `tillit-backup-${new Date().toISOString().replaceAll(':', '').slice(0, 15)}.gz`
);
// Inside node_modules so the bundle's package imports resolve to the project's packages.
const outfile = path.resolve('node_modules/.cache/tillit/backup.mjs');
await build({
	stdin: {
		contents: `export { getRuntime, closeRuntime, readRuntimeConfig } from './src/lib/server/runtime';
export { writeBackupFile } from './src/lib/server/backup/files';`,
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
	const started = performance.now();
	await mod.writeBackupFile(runtime.database.db, runtime.database.kind, file);
	const seconds = ((performance.now() - started) / 1000).toFixed(1);
	console.log(`Backup of the ${runtime.database.kind} database written to ${file} (${seconds} s).`);
	await mod.closeRuntime();
} catch (error) {
	console.error(`Backup failed: ${String(error instanceof Error ? error.message : error)}`);
	rmSync(file, { force: true });
	process.exitCode = 1;
} finally {
	rmSync(outfile, { force: true });
}
