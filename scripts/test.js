// `npm test`: every check, in order, stopping at the first failure:
// lint + format, types (svelte-check), unit tests, integration tests on PGlite, the same on
// Postgres when TEST_DATABASE_URL is set (then also the reduced reliability suite), then the
// production build and Playwright e2e.
import { spawnSync } from 'node:child_process';

const steps = [
	['lint', 'npx', ['eslint', '.']],
	['format', 'npx', ['prettier', '--check', '.']],
	['types', 'npm', ['run', 'check']],
	['unit', 'npx', ['vitest', 'run', '--project', 'unit']],
	[
		'integration (PGlite)',
		'npx',
		['vitest', 'run', '--project', 'integration'],
		{ TEST_DB: 'pglite' }
	]
];
if (process.env.TEST_DATABASE_URL) {
	steps.push([
		'integration (Postgres)',
		'npx',
		['vitest', 'run', '--project', 'integration'],
		{ TEST_DB: 'postgres' }
	]);
	// Reduced reliability suite (kill -9, fuzzing, storms) against a Tillit server on that
	// Postgres; `npm run test:reliability` runs the full one.
	steps.push([
		'reliability (reduced)',
		'npx',
		['vitest', 'run', '--project', 'reliability'],
		{ RELIABILITY_FULL: '0' }
	]);
} else {
	console.log(
		'TEST_DATABASE_URL is not set: integration tests run on PGlite only, reliability tests not at all.'
	);
}
steps.push(['build', 'npm', ['run', 'build']], ['e2e', 'npx', ['playwright', 'test']]);

const only = process.argv.slice(2);
const started = Date.now();
for (const [name, command, args, env = {}] of steps) {
	if (only.length > 0 && !only.some((o) => name.startsWith(o))) continue;
	const t0 = Date.now();
	console.log(`\n== ${name}`);
	const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
	console.log(
		`== ${name}: ${result.status === 0 ? 'ok' : 'FAILED'} (${((Date.now() - t0) / 1000).toFixed(1)} s)`
	);
	if (result.status !== 0) process.exit(result.status ?? 1);
}
console.log(`\nAll checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
