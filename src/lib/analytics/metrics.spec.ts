import { describe, expect, it } from 'vitest';
import { inclusiveDays, localDay, weekStart } from './days';
import {
	arrivalsOfCards,
	finishedGroupsOf,
	funnelOf,
	stageTimeGroupsOf,
	wipCardsOf
} from './facts-from-summary';
import {
	ALL,
	PERIOD,
	TODAY,
	abandoned,
	adaptLoop,
	declined,
	inProgress,
	offline,
	parked,
	sameDay,
	skippedPlan,
	startedBefore
} from './fixtures';
import {
	ageingWip,
	cumulativeFlow,
	cycleTimes,
	leadTimes,
	nearestRankPercentiles,
	throughputByDay,
	timeInStage,
	weeklyTotals
} from './metrics';
import { FLOW_STAGES } from '../board/stages';

const DAY = 86_400_000;

describe('card flow summary (the fold the trigger mirrors)', () => {
	it('an adapt loop keeps the first Plan entry as the start and counts cycle 2', () => {
		const s = adaptLoop.summary;
		expect(s.cycle).toBe(2);
		expect(localDay(s.reached.plan!)).toBe('2026-11-03');
		// Time in Plan sums both visits (cycle 1 and cycle 2): 1 day + 1 day.
		expect(s.msInStage.plan).toBe(2 * DAY);
		expect(s.msInStage.act).toBe(2 * DAY);
		expect(s.endState).toBe('standard');
	});

	it('a skipped stage counts as passed: reaching Do also reaches Plan', () => {
		const s = skippedPlan.summary;
		expect(s.reached.plan).toBe(s.reached.do);
		expect(localDay(s.reached.plan!)).toBe('2026-11-04');
		expect(s.msInStage.plan).toBe(0);
	});

	it('parked, declined and abandoned cards end in their own states', () => {
		expect(parked.summary.endState).toBe('parked');
		expect(declined.summary.endState).toBe('declined');
		expect(abandoned.summary.endState).toBe('abandoned');
		expect(inProgress.summary.endState).toBeNull();
	});

	it('an offline move stored last counts at its client time (events ordered by time)', () => {
		const s = offline.summary;
		expect(s.stage).toBe('standard');
		expect(localDay(s.reached.standard!)).toBe('2026-11-05');
		expect(localDay(s.createdAt)).toBe('2026-11-02');
	});

	it('the first response is the first move after the proposal, a decline included', () => {
		expect(
			inclusiveDays(
				localDay(declined.summary.createdAt),
				localDay(declined.summary.firstResponseAt!)
			)
		).toBe(5);
	});
});

describe('nearest-rank percentiles', () => {
	it('takes value number ⌈P/100·n⌉ of the sorted values', () => {
		const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((value) => ({ value, count: 1 }));
		expect(nearestRankPercentiles(values)).toEqual({ 50: 5, 85: 9, 95: 10 });
	});

	it('weights by count and is empty without values', () => {
		expect(
			nearestRankPercentiles([
				{ value: 3, count: 9 },
				{ value: 40, count: 1 }
			])
		).toEqual({
			50: 3,
			85: 3,
			95: 40
		});
		expect(nearestRankPercentiles([])).toEqual({ 50: null, 85: null, 95: null });
	});
});

describe('cycle and lead time of the cards finished in the period', () => {
	const finished = finishedGroupsOf(ALL, PERIOD);

	it('counts only cards that reached Standard in the period, none of the off-flow ones', () => {
		expect(finished.map((g) => g.card?.cardId).sort()).toEqual(
			['adapt', 'before', 'offline', 'sameday', 'skip'].sort()
		);
	});

	it('counts inclusive days: same day = 1, started before the period counts in full', () => {
		const byCard = new Map(finished.map((g) => [g.card?.cardId, g]));
		expect(byCard.get('sameday')).toMatchObject({
			cycleDays: 1,
			leadDays: 1,
			finishedDay: '2026-11-11'
		});
		expect(byCard.get('adapt')).toMatchObject({ cycleDays: 9, leadDays: 10 });
		expect(byCard.get('skip')).toMatchObject({ cycleDays: 7, leadDays: 9 });
		expect(byCard.get('before')).toMatchObject({
			cycleDays: 15,
			leadDays: 16,
			finishedDay: '2026-11-03'
		});
		expect(byCard.get('offline')).toMatchObject({
			cycleDays: 3,
			leadDays: 4,
			finishedDay: '2026-11-05'
		});
		expect(byCard.get('sameday')!.cycleHours).toBe(6);
	});

	it('gives percentiles and a histogram of the cycle and lead times', () => {
		const cycle = cycleTimes(finished);
		expect(cycle.count).toBe(5);
		expect(cycle.percentiles).toEqual({ 50: 7, 85: 15, 95: 15 });
		expect(cycle.histogram).toEqual([1, 3, 7, 9, 15].map((days) => ({ days, cards: 1 })));
		expect(leadTimes(finished).percentiles).toEqual({ 50: 9, 85: 16, 95: 16 });
	});

	it('groups of several cards weigh as many cards', () => {
		const grouped = [
			{
				finishedDay: '2026-11-03',
				cycleDays: 2,
				leadDays: 2,
				cards: 3,
				cycleHours: 90,
				card: null
			},
			{
				finishedDay: '2026-11-04',
				cycleDays: 10,
				leadDays: 12,
				cards: 1,
				cycleHours: 230,
				card: null
			}
		];
		expect(cycleTimes(grouped).percentiles).toEqual({ 50: 2, 85: 10, 95: 10 });
	});
});

describe('throughput', () => {
	const daily = throughputByDay(finishedGroupsOf(ALL, PERIOD), PERIOD);

	it('has every day of the period, zero days included', () => {
		expect(daily).toHaveLength(14);
		expect(daily.filter((d) => d.finished === 0)).toHaveLength(10);
		expect(daily.find((d) => d.day === '2026-11-11')!.finished).toBe(2);
		expect(daily.find((d) => d.day === '2026-11-02')!.finished).toBe(0);
	});

	it('totals ISO weeks starting on Monday', () => {
		expect(weekStart('2026-11-02')).toBe('2026-11-02');
		expect(weekStart('2026-11-15')).toBe('2026-11-09');
		expect(weeklyTotals(daily)).toEqual([
			{ weekStart: '2026-11-02', finished: 2, daysInPeriod: 7 },
			{ weekStart: '2026-11-09', finished: 3, daysInPeriod: 7 }
		]);
	});

	it('is all zeros for a period without finished cards', () => {
		const empty = throughputByDay([], { from: '2026-01-01', to: '2026-01-03' });
		expect(empty.map((d) => d.finished)).toEqual([0, 0, 0]);
	});
});

describe('cumulative flow from first arrivals', () => {
	const { before, arrivals } = arrivalsOfCards(ALL, PERIOD);
	const cfd = cumulativeFlow(before, arrivals, PERIOD);

	it('starts from the arrivals before the period', () => {
		expect(before).toEqual({ proposed: 1, plan: 1, do: 1, check: 1 });
		expect(cfd[0]).toMatchObject({ day: '2026-11-02', proposed: 5, plan: 2, act: 1, standard: 0 });
	});

	it('never falls, keeps stages ordered, and counts a loop once', () => {
		for (let i = 1; i < cfd.length; i++) {
			for (const stage of FLOW_STAGES)
				expect(cfd[i]![stage]).toBeGreaterThanOrEqual(cfd[i - 1]![stage]);
		}
		for (const day of cfd) {
			for (let s = 1; s < FLOW_STAGES.length; s++) {
				expect(day[FLOW_STAGES[s - 1]!]).toBeGreaterThanOrEqual(day[FLOW_STAGES[s]!]);
			}
		}
		expect(cfd.at(-1)).toMatchObject({ proposed: 10, plan: 8, standard: 5 });
	});
});

describe('ageing work in progress', () => {
	it('is started, not finished, not parked or ended; age = today − started + 1', () => {
		const wip = ageingWip(wipCardsOf(ALL), TODAY);
		expect(wip).toEqual([
			expect.objectContaining({
				cardId: 'wip',
				stage: 'check',
				startedDay: '2026-11-09',
				ageDays: 12
			})
		]);
	});
});

describe('time in stage', () => {
	it('sums visits and cycles per finished card, in tenths of a day rounded up', () => {
		const plan = timeInStage(stageTimeGroupsOf(ALL, PERIOD)).find((s) => s.stage === 'plan')!;
		// adapt 2.0 (two visits), sameday 0.1 (1 h), before 7.1 (7 days + the DST hour), offline 0.1 (1 h);
		// the skipped card never visited Plan.
		expect(plan).toEqual({ stage: 'plan', cards: 4, p50Days: 0.1, p85Days: 7.1, totalDays: 9.3 });
	});
});

describe('the idea funnel', () => {
	it('follows the ideas proposed in the period to where they are now', () => {
		expect(funnelOf(ALL, PERIOD)).toEqual({
			proposed: 9,
			started: 7,
			standard: 4,
			parked: 1,
			declined: 1,
			abandoned: 1,
			open: 2
		});
	});
});

it('keeps startedBefore out of the funnel but in the finished cards', () => {
	expect(funnelOf([startedBefore], PERIOD).proposed).toBe(0);
	expect(finishedGroupsOf([startedBefore, sameDay], PERIOD)).toHaveLength(2);
});
