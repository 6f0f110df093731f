/**
 * The flow metrics of DESIGN.md §3 as pure functions over small, pre-grouped facts. The server
 * reads those facts grouped from the summary tables (a group per finished day × cycle time, not a
 * row per card), so a report over 100,000 cards moves a few thousand rows; the unit specs build the
 * same facts from hand-checked event fixtures (facts-from-summary.ts).
 *
 * Percentiles are nearest-rank: the P-th percentile of n sorted values is value number ⌈P/100·n⌉.
 * Parked, Declined and Abandoned cards are never among finished cards (they have their own series).
 */
import { FLOW_STAGES, type FlowStage } from '../board/stages';
import { inclusiveDays, listDays, weekStart } from './days';
import type { Period } from './period';

export const PERCENTILES = [50, 85, 95] as const;
export type Percentile = (typeof PERCENTILES)[number];
export type PercentileValues = Record<Percentile, number | null>;

export interface CardRef {
	boardId: string;
	cardId: string;
}

/** Cards that reached Standard on one day with one cycle and lead time (a single card: `card`). */
export interface FinishedGroup {
	finishedDay: string;
	cycleDays: number;
	leadDays: number;
	cards: number;
	/** Sum of the cards' exact cycle times in hours (exact for a group of one). */
	cycleHours: number;
	card: CardRef | null;
}

export interface ValueCount {
	value: number;
	count: number;
}

/** Nearest-rank percentiles of a frequency table; null for every percentile when it is empty. */
export function nearestRankPercentiles(
	values: readonly ValueCount[],
	percentiles: readonly number[] = PERCENTILES
): Record<number, number | null> {
	const sorted = values.filter((v) => v.count > 0).sort((a, b) => a.value - b.value);
	const total = sorted.reduce((sum, v) => sum + v.count, 0);
	const result: Record<number, number | null> = {};
	for (const p of percentiles) {
		if (total === 0) {
			result[p] = null;
			continue;
		}
		const rank = Math.max(1, Math.ceil((p / 100) * total));
		let seen = 0;
		result[p] = sorted[sorted.length - 1]!.value;
		for (const v of sorted) {
			seen += v.count;
			if (seen >= rank) {
				result[p] = v.value;
				break;
			}
		}
	}
	return result;
}

export interface Distribution {
	count: number;
	percentiles: PercentileValues;
	/** Cards per whole-day value, ascending. */
	histogram: { days: number; cards: number }[];
}

function distribution(values: ValueCount[]): Distribution {
	const byValue = new Map<number, number>();
	for (const v of values) byValue.set(v.value, (byValue.get(v.value) ?? 0) + v.count);
	const histogram = [...byValue]
		.map(([days, cards]) => ({ days, cards }))
		.sort((a, b) => a.days - b.days);
	const p = nearestRankPercentiles(values);
	return {
		count: histogram.reduce((sum, h) => sum + h.cards, 0),
		percentiles: { 50: p[50] ?? null, 85: p[85] ?? null, 95: p[95] ?? null },
		histogram
	};
}

/** Cycle time (started → finished, inclusive days) of the cards finished in the period. */
export function cycleTimes(groups: readonly FinishedGroup[]): Distribution {
	return distribution(groups.map((g) => ({ value: g.cycleDays, count: g.cards })));
}

/** Lead time (proposed → finished, inclusive days) of the cards finished in the period. */
export function leadTimes(groups: readonly FinishedGroup[]): Distribution {
	return distribution(groups.map((g) => ({ value: g.leadDays, count: g.cards })));
}

export interface DayCount {
	day: string;
	finished: number;
}

/** Cards finished on each day of the period, days with none included as 0. */
export function throughputByDay(groups: readonly FinishedGroup[], period: Period): DayCount[] {
	const byDay = new Map<string, number>();
	for (const g of groups) byDay.set(g.finishedDay, (byDay.get(g.finishedDay) ?? 0) + g.cards);
	return listDays(period.from, period.to).map((day) => ({ day, finished: byDay.get(day) ?? 0 }));
}

export interface WeekCount {
	/** The Monday of the ISO week. */
	weekStart: string;
	finished: number;
	/** How many of the week's days lie in the period (7 except at its edges). */
	daysInPeriod: number;
}

export function weeklyTotals(daily: readonly DayCount[]): WeekCount[] {
	const weeks = new Map<string, WeekCount>();
	for (const d of daily) {
		const start = weekStart(d.day);
		const week = weeks.get(start) ?? { weekStart: start, finished: 0, daysInPeriod: 0 };
		week.finished += d.finished;
		week.daysInPeriod += 1;
		weeks.set(start, week);
	}
	return [...weeks.values()];
}

export interface StageArrivals {
	day: string;
	stage: string;
	arrivals: number;
}

export type CfdDay = { day: string } & Record<FlowStage, number>;

/**
 * The cumulative flow diagram: for each day, how many cards had reached each flow stage (first
 * arrivals, counted once, so lines never fall). `before` holds the arrivals before the period.
 */
export function cumulativeFlow(
	before: Readonly<Partial<Record<string, number>>>,
	arrivals: readonly StageArrivals[],
	period: Period
): CfdDay[] {
	const running = Object.fromEntries(
		FLOW_STAGES.map((stage) => [stage, before[stage] ?? 0])
	) as Record<FlowStage, number>;
	const byDay = new Map<string, StageArrivals[]>();
	for (const a of arrivals) byDay.set(a.day, [...(byDay.get(a.day) ?? []), a]);
	return listDays(period.from, period.to).map((day) => {
		for (const a of byDay.get(day) ?? []) {
			if (a.stage in running) running[a.stage as FlowStage] += a.arrivals;
		}
		return { day, ...running };
	});
}

export interface WipCard extends CardRef {
	title: string;
	stage: string;
	startedDay: string;
}

export interface AgedWipCard extends WipCard {
	/** today − started + 1 (DESIGN.md §3), never "age since creation". */
	ageDays: number;
}

/** Work in progress (started, not finished, not parked or ended) with its age, oldest first. */
export function ageingWip(cards: readonly WipCard[], today: string): AgedWipCard[] {
	return cards
		.map((card) => ({ ...card, ageDays: inclusiveDays(card.startedDay, today) }))
		.sort((a, b) => b.ageDays - a.ageDays || a.cardId.localeCompare(b.cardId));
}

/** Cards that spent `tenths` tenths of a day (rounded up) in a stage, summed over visits. */
export interface StageTimeGroup {
	stage: string;
	tenths: number;
	cards: number;
}

export interface StageTime {
	stage: FlowStage;
	/** Cards that spent any time in the stage. */
	cards: number;
	p50Days: number | null;
	p85Days: number | null;
	totalDays: number;
}

/** Time in each stage before Standard, for finished cards: sums over all visits and cycles. */
export function timeInStage(groups: readonly StageTimeGroup[]): StageTime[] {
	return FLOW_STAGES.filter((stage) => stage !== 'standard').map((stage) => {
		const mine = groups.filter((g) => g.stage === stage && g.cards > 0);
		const p = nearestRankPercentiles(
			mine.map((g) => ({ value: g.tenths, count: g.cards })),
			[50, 85]
		);
		const tenthsToDays = (t: number | null | undefined) => (t == null ? null : t / 10);
		return {
			stage,
			cards: mine.reduce((sum, g) => sum + g.cards, 0),
			p50Days: tenthsToDays(p[50]),
			p85Days: tenthsToDays(p[85]),
			totalDays: mine.reduce((sum, g) => sum + g.tenths * g.cards, 0) / 10
		};
	});
}

/** ms in a stage as whole tenths of a day, rounded up (any time at all counts as 0.1). */
export function msToTenths(ms: number): number {
	return Math.ceil(ms / 8_640_000);
}

/** The ideas proposed in the period and where they are now. */
export interface Funnel {
	proposed: number;
	started: number;
	standard: number;
	parked: number;
	declined: number;
	abandoned: number;
	/** Still in the flow (Proposed … Act). */
	open: number;
}
