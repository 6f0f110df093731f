/**
 * Monte Carlo forecasts from the daily throughput history (Vacanti's method): each trial draws
 * days at random from the history, with replacement. Seeded, so the same inputs give the same
 * answer on every load and in every test; zero days in the history are drawn like any other day.
 */
export const FORECAST_CONFIDENCES = [50, 70, 85, 95] as const;
export type Confidence = (typeof FORECAST_CONFIDENCES)[number];
export const FORECAST_TRIALS = 10_000;
export const FORECAST_SEED = 20_261_201;
/** A "when" trial that has not finished after ten years counts as never. */
export const FORECAST_MAX_DAYS = 3650;

/** mulberry32: a small, fast, well-distributed 32-bit PRNG; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

export interface ForecastOptions {
	trials?: number;
	seed?: number;
}

export interface HowManyForecast {
	trials: number;
	historyDays: number;
	days: number;
	/** With this confidence, at least this many cards finish within `days`. */
	atLeast: Record<Confidence, number>;
}

/** How many cards finish in the next `days` days. */
export function forecastHowMany(
	history: readonly number[],
	days: number,
	options: ForecastOptions = {}
): HowManyForecast | null {
	if (history.length === 0 || days < 1) return null;
	const trials = options.trials ?? FORECAST_TRIALS;
	const random = seededRandom(options.seed ?? FORECAST_SEED);
	const totals = new Float64Array(trials);
	for (let t = 0; t < trials; t++) {
		let sum = 0;
		for (let d = 0; d < days; d++) sum += history[Math.floor(random() * history.length)]!;
		totals[t] = sum;
	}
	totals.sort();
	const atLeast = {} as Record<Confidence, number>;
	// "At least X with c% confidence": c% of trials finished X or more, i.e. the (100 − c)th
	// percentile by nearest rank.
	for (const c of FORECAST_CONFIDENCES) {
		atLeast[c] = totals[Math.max(0, Math.ceil(((100 - c) / 100) * trials) - 1)]!;
	}
	return { trials, historyDays: history.length, days, atLeast };
}

export interface WhenForecast {
	trials: number;
	historyDays: number;
	items: number;
	/** With this confidence, all `items` are done within this many days (null: not within ten years). */
	withinDays: Record<Confidence, number | null>;
}

/** How many days until `items` more cards are finished. */
export function forecastWhen(
	history: readonly number[],
	items: number,
	options: ForecastOptions = {}
): WhenForecast | null {
	if (history.length === 0 || items < 1) return null;
	const trials = options.trials ?? FORECAST_TRIALS;
	const random = seededRandom(options.seed ?? FORECAST_SEED);
	const never = FORECAST_MAX_DAYS + 1;
	const daysNeeded = new Float64Array(trials);
	const anyThroughput = history.some((n) => n > 0);
	for (let t = 0; t < trials; t++) {
		if (!anyThroughput) {
			daysNeeded[t] = never;
			continue;
		}
		let done = 0;
		let day = 0;
		while (done < items && day < never) {
			done += history[Math.floor(random() * history.length)]!;
			day++;
		}
		daysNeeded[t] = done >= items ? day : never;
	}
	daysNeeded.sort();
	const withinDays = {} as Record<Confidence, number | null>;
	for (const c of FORECAST_CONFIDENCES) {
		const value = daysNeeded[Math.max(0, Math.ceil((c / 100) * trials) - 1)]!;
		withinDays[c] = value >= never ? null : value;
	}
	return { trials, historyDays: history.length, items, withinDays };
}
