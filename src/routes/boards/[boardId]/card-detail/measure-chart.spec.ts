import { describe, expect, it } from 'vitest';
import { chartGeometry, targetReached } from './measure-chart';

const size = { width: 200, height: 100, padding: 10 };
const point = (date: string, value: number) => ({ id: date, date, value, at: 0 });

describe('chartGeometry', () => {
	it('spreads points over time and scales values between baseline and target', () => {
		const chart = chartGeometry(
			[point('2026-11-01', 20), point('2026-11-03', 15), point('2026-11-05', 10)],
			{ baseline: 20, target: 10 },
			size
		);
		expect(chart.points.map((p) => p.x)).toEqual([10, 100, 190]);
		// Highest value (20) at the top, lowest (10) at the bottom.
		expect(chart.points.map((p) => p.y)).toEqual([10, 50, 90]);
		expect(chart.baselineY).toBe(10);
		expect(chart.targetY).toBe(90);
		expect(chart.path).toBe('M10 10 L100 50 L190 90');
	});

	it('includes a target outside the measured values in the scale', () => {
		const chart = chartGeometry([point('2026-11-01', 5)], { baseline: null, target: 15 }, size);
		expect(chart.min).toBe(5);
		expect(chart.max).toBe(15);
		expect(chart.points[0]).toMatchObject({ x: 100, y: 90 });
		expect(chart.baselineY).toBeNull();
		expect(chart.path).toBe('');
	});

	it('gives one flat value room above and below, and draws measurements of one day side by side', () => {
		const chart = chartGeometry(
			[point('2026-11-01', 4), point('2026-11-01', 4)],
			{ baseline: null, target: null },
			size
		);
		expect(chart.min).toBeLessThan(4);
		expect(chart.max).toBeGreaterThan(4);
		expect(chart.points.map((p) => p.x)).toEqual([10, 190]);
		expect(chart.points[0]!.y).toBe(50);
	});
});

describe('targetReached', () => {
	it('reads the direction: lower is better, or higher is better', () => {
		const ms = [point('2026-11-01', 20), point('2026-11-02', 9)];
		expect(targetReached(ms, { target: 10, better: 'down' })).toBe(true);
		expect(targetReached(ms, { target: 10, better: 'up' })).toBe(false);
		expect(targetReached([], { target: 10, better: 'up' })).toBeNull();
		expect(targetReached(ms, { target: null, better: 'up' })).toBeNull();
	});
});
