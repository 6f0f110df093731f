// `npm run bench`: bundle, then run the scenarios. Arguments pass through (e.g. `npm run bench --
// S1 S3`); BENCH_FULL=1 runs the full sizes from BENCHMARKS.md instead of the bounded default.
import { spawnSync } from 'node:child_process';
import { buildBenchBundles, repoRoot } from './build.js';

const bundles = await buildBenchBundles();
const result = spawnSync(
	process.execPath,
	// S1 holds 101 replicas of a 1,000-card board (and S2 500 of 100 cards) in this one process.
	[
		'--enable-source-maps',
		'--max-old-space-size=8192',
		'--expose-gc',
		bundles['bench/main.ts'],
		...process.argv.slice(2)
	],
	{ stdio: 'inherit', cwd: repoRoot }
);
process.exit(result.status ?? 1);
