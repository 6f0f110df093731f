// Bundles the benchmark (its runner and each peer's server entry) with esbuild, the way
// scripts/build-server.js bundles the production server: our TypeScript is bundled in, packages
// stay external. Also used by the reliability suite to get a Tillit server it can kill -9.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const defaultBundleDir = path.join(repoRoot, 'bench-results', '.bundle');
export const BENCH_ENTRIES = [
	'bench/main.ts',
	'bench/peers/floor.ts',
	'bench/peers/ref.ts',
	'bench/peers/hocuspocus.ts',
	'bench/peers/tillit.ts'
];

/**
 * Where `entry` (a path relative to the repo root, under bench/) lands in `outdir`.
 * @param {string} entry
 * @param {string} [outdir]
 * @returns {string}
 */
export function bundlePath(entry, outdir = defaultBundleDir) {
	return path.join(outdir, path.relative('bench', entry).replace(/\.ts$/, '.js'));
}

/**
 * Builds the given entries into `outdir`; returns { entry: bundle path }.
 * @param {string[]} [entries]
 * @param {string} [outdir]
 * @returns {Promise<Record<string, string>>}
 */
export async function buildBenchBundles(entries = BENCH_ENTRIES, outdir = defaultBundleDir) {
	await build({
		entryPoints: entries.map((entry) => path.join(repoRoot, entry)),
		outdir,
		outbase: path.join(repoRoot, 'bench'),
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		packages: 'external',
		sourcemap: true,
		logLevel: 'warning',
		// Bundled ESM that calls require() (some CJS packages do) needs a require in scope.
		banner: {
			js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);"
		}
	});
	return Object.fromEntries(entries.map((entry) => [entry, bundlePath(entry, outdir)]));
}
