/**
 * `npm run bench`: scenarios S1–S6 of BENCHMARKS.md with the peers side by side in one run.
 * Figures only: nothing here passes or fails, except the correctness gates, which are printed
 * loudly and make the exit code non-zero when broken.
 *
 *   npm run bench                 bounded default (a few minutes)
 *   BENCH_FULL=1 npm run bench    full sizes
 *   npm run bench -- S1 S3        only some scenarios
 *   BENCH_PEERS=ref,tillit …      only some peers
 */
import path from 'node:path';
import { serverRefusals } from './lib/clients';
import { gateResults } from './lib/gates';
import { describeRun } from './lib/machine';
import { PEER_IDS, type PeerId } from './lib/peers';
import { Report } from './lib/report';
import { createFreshDatabase } from './lib/tillit-fixture';
import type { ScenarioContext } from './lib/harness';
import { summaryText } from './summary';
import { runS1 } from './scenarios/s1-propagation';
import { runS2 } from './scenarios/s2-many-boards';
import { runS3 } from './scenarios/s3-joins';
import { runS4 } from './scenarios/s4-durability';
import { runS5 } from './scenarios/s5-browser';
import { runS6 } from './scenarios/s6-flow-report';

// Hundreds of providers each add an exit listener (y-websocket); that is expected here.
process.setMaxListeners(0);

// bench/run.js builds the bundles and starts this one from the repository root.
const repoRoot = process.cwd();
const BUNDLE_DIR = path.join(repoRoot, 'bench-results', '.bundle');

const SCENARIOS: Record<string, (context: ScenarioContext) => Promise<void>> = {
	S1: runS1,
	S2: runS2,
	S3: runS3,
	S4: runS4,
	S5: runS5,
	S6: runS6
};

const full = process.env.BENCH_FULL === '1';
const wanted = process.argv.slice(2).map((arg) => arg.toUpperCase());
const peers = (process.env.BENCH_PEERS?.split(',') ?? [...PEER_IDS]).filter((id): id is PeerId =>
	(PEER_IDS as readonly string[]).includes(id)
);

const run = describeRun(full);
const report = new Report(run, path.join(repoRoot, 'bench-results'));
process.stdout.write(
	`Tillit benchmark — ${run.full ? 'full' : 'bounded'} run, commit ${run.gitCommit}${run.gitDirty ? ' (uncommitted changes)' : ''}\n` +
		`${run.cpus} × ${run.cpuModel}, ${run.memoryGB} GB, Node ${run.node}, load ${run.loadAverage.join(' ')}\n` +
		`peers: ${peers.join(', ')}; results: ${path.relative(repoRoot, report.file)}\n` +
		(run.tillitOverrides
			? `DIAGNOSTIC RUN: Tillit options overridden (${run.tillitOverrides}); not what users run\n`
			: '') +
		'\n'
);

const bundles = Object.fromEntries(
	(['floor', 'ref', 'hocuspocus', 'tillit'] as const).map((id) => [
		`bench/peers/${id}.ts`,
		path.join(BUNDLE_DIR, 'peers', `${id}.js`)
	])
);
const database = await createFreshDatabase();
const context: ScenarioContext = {
	peers,
	full,
	report,
	peerContext: { bundles, tillitDatabaseUrl: database.url, repoRoot }
};
const started = Date.now();
try {
	for (const [id, scenario] of Object.entries(SCENARIOS)) {
		if (wanted.length > 0 && !wanted.includes(id)) continue;
		const t0 = Date.now();
		process.stdout.write(`== ${id}\n`);
		try {
			await scenario(context);
		} catch (error) {
			report.note(id, `did not finish: ${error instanceof Error ? error.stack : String(error)}`);
		}
		process.stdout.write(`== ${id} done in ${((Date.now() - t0) / 1000).toFixed(0)} s\n\n`);
	}
} finally {
	await database.drop();
}

if (serverRefusals.moves > 0) {
	report.note(
		'all',
		`Tillit refused ${serverRefusals.moves} moves by its lifecycle gates: the bench's fixture no longer makes only legal moves, so Tillit's workload differed`
	);
}
process.stdout.write(summaryText(report.rows));
const broken = gateResults.filter((gate) => !gate.ok);
process.stdout.write(
	`\nCorrectness gates: ${gateResults.length - broken.length} held, ${broken.length} broken.\n`
);
for (const gate of broken)
	process.stdout.write(`!!! BROKEN ${gate.scenario} ${gate.peer} ${gate.gate}: ${gate.detail}\n`);
process.stdout.write(
	`\nDone in ${((Date.now() - started) / 1000).toFixed(0)} s. Figures: ${path.relative(repoRoot, report.file)}\n`
);
process.exit(broken.length > 0 ? 2 : 0);
