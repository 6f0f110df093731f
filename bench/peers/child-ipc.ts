/**
 * The server side of the benchmark's IPC: a peer's server process says where it listens, and
 * answers "usage" requests with its own process.cpuUsage() and memory, so CPU per delivered
 * message counts the server's work only (the clients run in another process). Each answer also
 * carries the event loop's delay since the previous request that asked for a reset
 * (perf_hooks.monitorEventLoopDelay): how long work that was ready had to wait.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** 10 ms resolution is too coarse for a 10 ms target; 1 ms costs nothing measurable. */
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();

export interface UsageReport {
	type: 'usage';
	id: number;
	/** Microseconds of user + system CPU since the process started. */
	cpuMicros: number;
	rssBytes: number;
	heapUsedBytes: number;
	/** Event-loop delay since the last reset, ms. */
	loopDelayP99Ms: number;
	loopDelayMaxMs: number;
}

export type ChildMessage = { type: 'ready'; port: number } | UsageReport;
export type ParentMessage =
	{ type: 'usage'; id: number; gc?: boolean; resetLoopDelay?: boolean } | { type: 'stop' };

function send(message: ChildMessage): void {
	process.send?.(message);
}

/** Call once the server listens. `stop` runs on a "stop" message or SIGTERM, then the process exits. */
export function serveBenchIpc(port: number, stop: () => Promise<void>): void {
	let stopping = false;
	const shutdown = () => {
		if (stopping) return;
		stopping = true;
		stop()
			.catch((error: unknown) => process.stderr.write(`stop failed: ${String(error)}\n`))
			.finally(() => process.exit(0));
	};
	process.on('message', (raw: unknown) => {
		const message = raw as ParentMessage;
		if (message.type === 'stop') {
			shutdown();
			return;
		}
		if (message.type === 'usage') {
			// A forced collection (when exposed) makes RSS readings less noisy between scenarios.
			const gc = (globalThis as { gc?: () => void }).gc;
			if (message.gc && gc) gc();
			const cpu = process.cpuUsage();
			const memory = process.memoryUsage();
			// The histogram holds nanoseconds; reported as measured, the same way for every peer.
			const delayMs = (ns: number) => ns / 1e6;
			send({
				type: 'usage',
				id: message.id,
				cpuMicros: cpu.user + cpu.system,
				rssBytes: memory.rss,
				heapUsedBytes: memory.heapUsed,
				loopDelayP99Ms: loopDelay.count > 0 ? delayMs(loopDelay.percentile(99)) : 0,
				loopDelayMaxMs: loopDelay.count > 0 ? delayMs(loopDelay.max) : 0
			});
			if (message.resetLoopDelay) loopDelay.reset();
		}
	});
	process.on('SIGTERM', shutdown);
	process.on('disconnect', shutdown);
	send({ type: 'ready', port });
}
