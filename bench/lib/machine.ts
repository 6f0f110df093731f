/** What every run records about where it ran, so figures are never read without their context. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface RunInfo {
	startedAt: string;
	node: string;
	platform: string;
	cpus: number;
	cpuModel: string;
	memoryGB: number;
	loadAverage: number[];
	gitCommit: string;
	gitDirty: boolean;
	full: boolean;
	/** Set only in diagnostic runs: Tillit sync-server options overridden (see bench/peers/tillit.ts). */
	tillitOverrides: string | null;
}

function git(args: string[]): string {
	try {
		return execFileSync('git', args, {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore']
		}).trim();
	} catch {
		return 'unknown';
	}
}

export function describeRun(full: boolean): RunInfo {
	const cpus = os.cpus();
	return {
		startedAt: new Date().toISOString(),
		node: process.version,
		platform: `${os.platform()} ${os.release()}`,
		cpus: cpus.length,
		cpuModel: cpus[0]?.model ?? 'unknown',
		memoryGB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
		loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
		gitCommit: git(['rev-parse', '--short=12', 'HEAD']),
		gitDirty: git(['status', '--porcelain', '--', 'src', 'server', 'bench', 'migrations']) !== '',
		full,
		tillitOverrides: process.env.BENCH_TILLIT_OPTIONS ?? null
	};
}
