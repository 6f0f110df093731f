// `npm run bench`: bundle, then run the scenarios. Arguments pass through (e.g. `npm run bench --
// S1 S3`); BENCH_FULL=1 runs the full sizes from BENCHMARKS.md instead of the bounded default.
import { spawnSync } from 'node:child_process';
import { buildBenchBundles, repoRoot } from './build.js';

const bundles = await buildBenchBundles();
const result = spawnSync(
	process.execPath,
	['--enable-source-maps', bundles['bench/main.ts'], ...process.argv.slice(2)],
	{ stdio: 'inherit', cwd: repoRoot }
);
process.exit(result.status ?? 1);
