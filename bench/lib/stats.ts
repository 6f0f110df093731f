/** Percentiles and summaries for latency samples (milliseconds). Nearest-rank, like the reports. */

export interface Summary {
	count: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
}

export function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[Math.min(sorted.length, rank) - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
	const sorted = [...samples].sort((a, b) => a - b);
	return {
		count: sorted.length,
		p50: percentile(sorted, 50),
		p95: percentile(sorted, 95),
		p99: percentile(sorted, 99),
		max: sorted.length > 0 ? sorted[sorted.length - 1]! : Number.NaN
	};
}

/** Rounds for display and JSON: 3 significant decimals is plenty for noisy milliseconds. */
export function round(value: number, digits = 2): number {
	if (!Number.isFinite(value)) return value;
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns true or `timeoutMs` passes; answers whether it became true. */
export async function waitUntil(
	check: () => boolean | Promise<boolean>,
	timeoutMs: number,
	intervalMs = 20
): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await check()) return true;
		if (Date.now() >= deadline) return false;
		await sleep(intervalMs);
	}
}

/** `promise`'s value, or `fallback` after `ms` (the timer is cleared either way, so nothing lingers). */
export async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	try {
		return await Promise.race([
			promise,
			new Promise<F>((resolve) => {
				timer = setTimeout(() => resolve(fallback), ms);
			})
		]);
	} finally {
		clearTimeout(timer);
	}
}

/** A full collection when the process runs with --expose-gc (bench/run.js starts it so). */
export function collectGarbage(): void {
	(globalThis as { gc?: () => void }).gc?.();
}
