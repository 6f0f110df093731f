/**
 * Starts a peer's server in its own child process (so its CPU is its own), waits until it
 * listens, and asks it for its CPU and memory over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { ChildMessage, ParentMessage, UsageReport } from '../peers/child-ipc';

export interface ServerProcess {
	port: number;
	pid: number;
	child: ChildProcess;
	/** `resetLoopDelay`: the next answer's event-loop delay counts from this request on. */
	usage(options?: { gc?: boolean; resetLoopDelay?: boolean }): Promise<UsageReport>;
	/** Graceful stop (the server flushes), then SIGKILL if it takes longer than `graceMs`. */
	stop(graceMs?: number): Promise<void>;
	/** kill -9: no flush, no goodbye. */
	kill(): Promise<void>;
	exited: Promise<number | null>;
	/** The last few KB the server wrote to stderr (when started quiet). */
	stderrTail(): string;
}

export interface StartOptions {
	env?: Record<string, string | undefined>;
	execArgv?: string[];
	/** How long to wait for "ready" (migrations on a fresh database take a few seconds). */
	readyTimeoutMs?: number;
	/** Where the server's stderr/stdout go; default inherited (shown). */
	quiet?: boolean;
}

export async function startServerProcess(
	bundle: string,
	options: StartOptions = {}
): Promise<ServerProcess> {
	const child = fork(bundle, [], {
		env: { ...process.env, ...options.env },
		execArgv: ['--enable-source-maps', '--expose-gc', ...(options.execArgv ?? [])],
		stdio: options.quiet
			? ['ignore', 'ignore', 'pipe', 'ipc']
			: ['ignore', 'inherit', 'inherit', 'ipc']
	});
	let stderrTail = '';
	child.stderr?.on('data', (chunk: Buffer) => {
		stderrTail = (stderrTail + chunk.toString()).slice(-4000);
	});
	const exited = new Promise<number | null>((resolve) =>
		child.once('exit', (code) => resolve(code))
	);
	const pending = new Map<number, (report: UsageReport) => void>();
	let nextId = 1;
	const port = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`${bundle} did not start in time. ${stderrTail}`)),
			options.readyTimeoutMs ?? 60_000
		);
		child.on('message', (raw: unknown) => {
			const message = raw as ChildMessage;
			if (message.type === 'ready') {
				clearTimeout(timer);
				resolve(message.port);
			} else if (message.type === 'usage') {
				pending.get(message.id)?.(message);
				pending.delete(message.id);
			}
		});
		void exited.then((code) => {
			clearTimeout(timer);
			reject(new Error(`${bundle} exited with ${code} before it listened. ${stderrTail}`));
		});
	});
	const sendToChild = (message: ParentMessage) => {
		if (child.connected) child.send(message);
	};
	return {
		port,
		pid: child.pid ?? 0,
		child,
		exited,
		stderrTail: () => stderrTail,
		usage(usageOptions = {}) {
			const id = nextId++;
			return new Promise<UsageReport>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error('no usage answer')), 10_000);
				pending.set(id, (report) => {
					clearTimeout(timer);
					resolve(report);
				});
				sendToChild({
					type: 'usage',
					id,
					gc: usageOptions.gc,
					resetLoopDelay: usageOptions.resetLoopDelay
				});
			});
		},
		async stop(graceMs = 10_000) {
			if (child.exitCode !== null || child.signalCode !== null) return;
			sendToChild({ type: 'stop' });
			const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
			await exited;
			clearTimeout(timer);
		},
		async kill() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			child.kill('SIGKILL');
			await exited;
		}
	};
}
