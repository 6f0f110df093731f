/**
 * One flow report from the facts the server reads (grouped rows from card_flow and
 * flow_daily_arrivals), as one pure function: what every chart, table and summary shows.
 */
import {
	ageingWip,
	cumulativeFlow,
	cycleTimes,
	leadTimes,
	throughputByDay,
	timeInStage,
	weeklyTotals,
	type AgedWipCard,
	type CfdDay,
	type DayCount,
	type Distribution,
	type FinishedGroup,
	type Funnel,
	type StageArrivals,
	type StageTime,
	type StageTimeGroup,
	type WeekCount,
	type WipCard
} from './metrics';
import { forecastHowMany, forecastWhen, type HowManyForecast, type WhenForecast } from './forecast';
import type { Period } from './period';
import { trustFigures, type TrustFacts, type TrustFigures } from './trust';
import { inclusiveDays } from './days';

export interface ReportFacts {
	finished: FinishedGroup[];
	/** Oldest first, at most WIP_LIMIT cards; wipTotal counts them all. */
	wip: WipCard[];
	wipTotal: number;
	/** First arrivals per stage before the period (for the CFD's starting level). */
	arrivalsBefore: Partial<Record<string, number>>;
	/** First arrivals per day and stage within the period, Parked and Declined included. */
	arrivals: StageArrivals[];
	stageTimes: StageTimeGroup[];
	funnel: Funnel;
	trust: TrustFacts;
}

/** The ageing chart's dots are links; beyond this many the chart shows the oldest. */
export const WIP_LIMIT = 500;

export interface ForecastRequest {
	/** "How many by": a day after today. */
	byDay: string;
	/** "When will these N be done" (default: the WIP count). */
	items: number;
}

export interface FlowReport {
	period: Period;
	today: string;
	finished: FinishedGroup[];
	cycle: Distribution;
	lead: Distribution;
	throughput: DayCount[];
	weekly: WeekCount[];
	/** Parked / Declined arrivals per day: their own series, never in throughput. */
	offFlow: { day: string; parked: number; declined: number }[];
	cfd: CfdDay[];
	wip: AgedWipCard[];
	wipTotal: number;
	stageTime: StageTime[];
	funnel: Funnel;
	trust: TrustFigures;
	howMany: HowManyForecast | null;
	when: WhenForecast | null;
	forecast: ForecastRequest;
}

export function buildFlowReport(
	facts: ReportFacts,
	period: Period,
	today: string,
	forecast: ForecastRequest
): FlowReport {
	const throughput = throughputByDay(facts.finished, period);
	const history = throughput.map((d) => d.finished);
	const offFlowByDay = new Map<string, { parked: number; declined: number }>();
	for (const a of facts.arrivals) {
		if (a.stage !== 'parked' && a.stage !== 'declined') continue;
		const entry = offFlowByDay.get(a.day) ?? { parked: 0, declined: 0 };
		entry[a.stage] += a.arrivals;
		offFlowByDay.set(a.day, entry);
	}
	const horizon = inclusiveDays(today, forecast.byDay) - 1;
	return {
		period,
		today,
		finished: facts.finished,
		cycle: cycleTimes(facts.finished),
		lead: leadTimes(facts.finished),
		throughput,
		weekly: weeklyTotals(throughput),
		offFlow: throughput.map(({ day }) => ({
			day,
			...(offFlowByDay.get(day) ?? { parked: 0, declined: 0 })
		})),
		cfd: cumulativeFlow(facts.arrivalsBefore, facts.arrivals, period),
		wip: ageingWip(facts.wip, today),
		wipTotal: facts.wipTotal,
		stageTime: timeInStage(facts.stageTimes),
		funnel: facts.funnel,
		trust: trustFigures(facts.trust),
		howMany: forecastHowMany(history, horizon),
		when: forecastWhen(history, forecast.items),
		forecast
	};
}
