import { describe, expect, it } from 'vitest';
import { FORECAST_TRIALS, forecastHowMany, forecastWhen, seededRandom } from './forecast';

describe('Monte Carlo forecasts', () => {
	const history = [0, 0, 1, 3, 0, 2, 0, 0, 1, 0, 4, 0, 0, 1];

	it('gives the same answer for the same inputs (seeded), with 10,000 trials', () => {
		const a = forecastHowMany(history, 30);
		const b = forecastHowMany(history, 30);
		expect(a).toEqual(b);
		expect(a!.trials).toBe(FORECAST_TRIALS);
		expect(a!.historyDays).toBe(14);
		expect(forecastWhen(history, 20)).toEqual(forecastWhen(history, 20));
	});

	it('is exact when every day of the history finished the same number', () => {
		expect(forecastHowMany([2, 2, 2], 10)!.atLeast).toEqual({ 50: 20, 70: 20, 85: 20, 95: 20 });
		expect(forecastWhen([1], 5)!.withinDays).toEqual({ 50: 5, 70: 5, 85: 5, 95: 5 });
	});

	it('asks for more certainty with a smaller "how many" and a later "when"', () => {
		const many = forecastHowMany(history, 30)!.atLeast;
		expect(many[95]).toBeLessThanOrEqual(many[85]);
		expect(many[85]).toBeLessThanOrEqual(many[70]);
		expect(many[70]).toBeLessThanOrEqual(many[50]);
		const when = forecastWhen(history, 20)!.withinDays;
		expect(when[50]!).toBeLessThanOrEqual(when[70]!);
		expect(when[85]!).toBeLessThanOrEqual(when[95]!);
		// The history's mean is 12/14 a day: 30 days finish about 26 at 50 %.
		expect(many[50]).toBeGreaterThan(15);
		expect(many[50]).toBeLessThan(35);
	});

	it('says "never" from a history without throughput, and nothing without history', () => {
		expect(forecastWhen([0, 0, 0], 3)!.withinDays).toEqual({
			50: null,
			70: null,
			85: null,
			95: null
		});
		expect(forecastHowMany([0, 0], 7)!.atLeast[50]).toBe(0);
		expect(forecastHowMany([], 7)).toBeNull();
		expect(forecastWhen([1], 0)).toBeNull();
	});

	it('draws uniformly from [0, 1) for a given seed', () => {
		const random = seededRandom(42);
		const draws = Array.from({ length: 10_000 }, random);
		expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...draws)).toBeLessThan(1);
		const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
		expect(mean).toBeGreaterThan(0.48);
		expect(mean).toBeLessThan(0.52);
	});
});
