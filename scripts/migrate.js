// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to PGlite in TILLIT_DATA_DIR.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// Inside node_modules so the bundle's package imports resolve to the project's packages.
const outfile = path.resolve('node_modules/.cache/tillit/migrate.mjs');
await build({
	stdin: {
		contents: `export { getRuntime, closeRuntime, readRuntimeConfig } from './src/lib/server/runtime';`,
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
	console.log(`Migrations are up to date (${runtime.database.kind}).`);
	await mod.closeRuntime();
} catch (error) {
	console.error(String(error instanceof Error ? error.message : error));
	process.exitCode = 1;
} finally {
	rmSync(outfile, { force: true });
}
