// The one way a command-line script (db:migrate, backup, restore) runs server code: the
// TypeScript modules are bundled by esbuild into node_modules/.cache (so their package imports
// resolve to the project's packages), the runtime is opened from DATABASE_URL / TILLIT_DATA_DIR
// exactly as `npm start` opens it, `task` gets it, and everything is closed and removed after.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * @param {string} name the bundle's name (one per script, so two scripts never share a file)
 * @param {string[]} exportsFrom extra `export { … } from '…'` lines the task needs
 * @param {(mod: any, runtime: any) => Promise<void>} task
 * @param {{ failure: string, onFailure?: () => void }} options how a failure is reported
 */
export async function withRuntime(name, exportsFrom, task, options) {
	const outfile = path.resolve(`node_modules/.cache/tillit/${name}.mjs`);
	await build({
		stdin: {
			contents: [
				`export { getRuntime, closeRuntime, readRuntimeConfig } from './src/lib/server/runtime';`,
				...exportsFrom
			].join('\n'),
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
		await task(mod, runtime);
		await mod.closeRuntime();
	} catch (error) {
		console.error(`${options.failure}${String(error instanceof Error ? error.message : error)}`);
		options.onFailure?.();
		process.exitCode = 1;
	} finally {
		rmSync(outfile, { force: true });
	}
}
