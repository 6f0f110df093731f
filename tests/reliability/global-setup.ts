/**
 * The reliability suite kills and restarts a real Tillit server, so it needs one as a separate
 * process: the benchmark's Tillit entry (the same runtime and createSyncServer as server/index.ts),
 * bundled once per run into a folder inside the repository (so it finds node_modules/).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildBenchBundles, repoRoot } from '../../bench/build.js';

declare module 'vitest' {
	export interface ProvidedContext {
		tillitBundle: string;
	}
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const outdir = path.join(repoRoot, 'bench-results', `.reliability-${process.pid}`);
	const bundles = await buildBenchBundles(['bench/peers/tillit.ts'], outdir);
	project.provide('tillitBundle', bundles['bench/peers/tillit.ts']!);
	return async () => {
		await rm(outdir, { recursive: true, force: true });
	};
}
