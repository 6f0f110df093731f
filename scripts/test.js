// `npm test`: every check, in order, stopping at the first failure:
// lint + format, types (svelte-check), unit tests, integration tests on PGlite, the same on
// Postgres when TEST_DATABASE_URL is set (then also the reduced reliability suite), then the
// production build and Playwright e2e.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Each runner also writes a JSON report here, so the run ends with one 'N passed, N failed' line.
const reportDir = mkdtempSync(path.join(os.tmpdir(), 'tillit-test-reports-'));
let reportCount = 0;
function vitestReport() {
	const file = path.join(reportDir, `vitest-${reportCount++}.json`);
	return { args: ['--reporter=default', '--reporter=json', `--outputFile.json=${file}`], file };
}

const steps = [
	// The compiled messages are generated, not committed: a clean clone needs them before lint.
	['i18n', 'npm', ['run', 'i18n']],
	// SvelteKit's generated tsconfig (which the root tsconfig extends) must exist before lint: without
	// it TypeScript's defaults take in src/service-worker.ts, which ESLint expects outside the project.
	['sync', 'npx', ['svelte-kit', 'sync']],
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

for (const step of steps) {
	if (step[1] === 'npx' && step[2][0] === 'vitest') {
		const report = vitestReport();
		step[2] = [...step[2], ...report.args];
		step.report = { kind: 'vitest', file: report.file };
	}
	if (step[1] === 'npx' && step[2][0] === 'playwright') {
		const file = path.join(reportDir, 'playwright.json');
		step[3] = { ...(step[3] ?? {}), PLAYWRIGHT_JSON_OUTPUT_NAME: file };
		step[2] = [...step[2], `--reporter=${process.env.CI ? 'line' : 'list'},json`];
		step.report = { kind: 'playwright', file };
	}
}

/** Adds a runner's JSON report to the totals (missing report: the step failed before it wrote one). */
const totals = { passed: 0, failed: 0 };
function count(report) {
	if (!report || !existsSync(report.file)) return;
	const json = JSON.parse(readFileSync(report.file, 'utf8'));
	if (report.kind === 'vitest') {
		totals.passed += json.numPassedTests ?? 0;
		totals.failed += json.numFailedTests ?? 0;
	} else {
		totals.passed += json.stats?.expected ?? 0;
		totals.failed += (json.stats?.unexpected ?? 0) + (json.stats?.flaky ?? 0);
	}
}

function finish(code) {
	rmSync(reportDir, { recursive: true, force: true });
	console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
	process.exit(code);
}

const only = process.argv.slice(2);
const started = Date.now();
for (const step of steps) {
	const [name, command, args, env = {}] = step;
	if (only.length > 0 && !only.some((o) => name.startsWith(o))) continue;
	const t0 = Date.now();
	console.log(`\n== ${name}`);
	const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
	console.log(
		`== ${name}: ${result.status === 0 ? 'ok' : 'FAILED'} (${((Date.now() - t0) / 1000).toFixed(1)} s)`
	);
	count(step.report);
	if (result.status !== 0) finish(result.status ?? 1);
}
console.log(`\nAll checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
finish(0);
