/**
 * The geometry of the small measurement chart in Check: points over time against the baseline and
 * the target. Pure, so the scale is tested without a browser; the component draws what this says.
 */
import type { Measurement, NumericMeasure } from '$lib/board/pdca';

export interface ChartPoint {
	x: number;
	y: number;
	date: string;
	value: number;
}

export interface ChartGeometry {
	width: number;
	height: number;
	points: ChartPoint[];
	/** y of the baseline / target lines, null when not set. */
	baselineY: number | null;
	targetY: number | null;
	min: number;
	max: number;
	/** The path through the points ('' with fewer than two). */
	path: string;
}

const DAY = 86_400_000;

function dayNumber(date: string): number {
	return Date.parse(`${date}T00:00:00Z`) / DAY;
}

export function chartGeometry(
	measurements: readonly Measurement[],
	measure: Pick<NumericMeasure, 'baseline' | 'target'>,
	size: { width: number; height: number; padding: number }
): ChartGeometry {
	const { width, height, padding } = size;
	const values = measurements.map((m) => m.value);
	const references = [measure.baseline, measure.target].filter((v): v is number => v !== null);
	const all = [...values, ...references];
	let min = all.length > 0 ? Math.min(...all) : 0;
	let max = all.length > 0 ? Math.max(...all) : 1;
	if (min === max) {
		// One value (or all equal): give the line room above and below.
		const spread = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
		min -= spread;
		max += spread;
	}
	const days = measurements.map((m) => dayNumber(m.date));
	const first = days.length > 0 ? Math.min(...days) : 0;
	const last = days.length > 0 ? Math.max(...days) : 1;
	const innerWidth = width - padding * 2;
	const innerHeight = height - padding * 2;
	const xOf = (day: number, index: number) =>
		last === first
			? padding +
				(measurements.length > 1
					? (innerWidth * index) / (measurements.length - 1)
					: innerWidth / 2)
			: padding + ((day - first) / (last - first)) * innerWidth;
	const yOf = (value: number) => padding + ((max - value) / (max - min)) * innerHeight;
	const points = measurements.map((m, index) => ({
		x: round(xOf(days[index]!, index)),
		y: round(yOf(m.value)),
		date: m.date,
		value: m.value
	}));
	return {
		width,
		height,
		points,
		baselineY: measure.baseline === null ? null : round(yOf(measure.baseline)),
		targetY: measure.target === null ? null : round(yOf(measure.target)),
		min,
		max,
		path:
			points.length > 1 ? points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join(' ') : ''
	};
}

function round(value: number): number {
	return Math.round(value * 10) / 10;
}

/**
 * Whether the latest measurement reached the target, in the measure's direction; null when there
 * is nothing to compare.
 */
export function targetReached(
	measurements: readonly Measurement[],
	measure: Pick<NumericMeasure, 'target' | 'better'>
): boolean | null {
	const latest = measurements.at(-1);
	if (!latest || measure.target === null) return null;
	return measure.better === 'up' ? latest.value >= measure.target : latest.value <= measure.target;
}
