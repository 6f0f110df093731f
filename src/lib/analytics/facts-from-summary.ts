/**
 * Report facts from card summaries in memory: the same grouping the server's SQL does over
 * card_flow (flow-report-queries.ts), written plainly so the unit specs can check the metrics on
 * hand-made cards, and the integration test can check the SQL against it.
 */
import { FLOW_STAGES } from '../board/stages';
import { inclusiveDays, localDay } from './days';
import type { CardFlowSummary } from './flow-summary';
import {
	msToTenths,
	type FinishedGroup,
	type Funnel,
	type StageArrivals,
	type StageTimeGroup,
	type WipCard
} from './metrics';
import type { Period } from './period';

export interface SummarizedCard {
	boardId: string;
	cardId: string;
	title: string;
	summary: CardFlowSummary;
}

function inPeriod(ms: number | null, period: Period): ms is number {
	if (ms === null) return false;
	const day = localDay(ms);
	return day >= period.from && day <= period.to;
}

/** One group per finished card (the server groups equal ones). */
export function finishedGroupsOf(
	cards: readonly SummarizedCard[],
	period: Period
): FinishedGroup[] {
	return cards.flatMap(({ boardId, cardId, summary }) => {
		const finished = summary.reached.standard;
		const started = summary.reached.plan;
		const proposed = summary.reached.proposed;
		if (!inPeriod(finished, period) || started === null || proposed === null) return [];
		const finishedDay = localDay(finished);
		return [
			{
				finishedDay,
				cycleDays: inclusiveDays(localDay(started), finishedDay),
				leadDays: inclusiveDays(localDay(proposed), finishedDay),
				cards: 1,
				cycleHours: (finished - started) / 3_600_000,
				card: { boardId, cardId }
			}
		];
	});
}

/** Started, not finished, and still in the flow (not Parked, Declined or Abandoned). */
export function wipCardsOf(cards: readonly SummarizedCard[]): WipCard[] {
	return cards.flatMap(({ boardId, cardId, title, summary }) =>
		summary.reached.plan !== null && summary.reached.standard === null && summary.endState === null
			? [
					{
						boardId,
						cardId,
						title,
						stage: summary.stage,
						startedDay: localDay(summary.reached.plan)
					}
				]
			: []
	);
}

function arrivalsOf(summary: CardFlowSummary): { stage: string; at: number }[] {
	const list = FLOW_STAGES.flatMap((stage) => {
		const at = summary.reached[stage];
		return at === null ? [] : [{ stage: stage as string, at }];
	});
	if (summary.firstParkedAt !== null) list.push({ stage: 'parked', at: summary.firstParkedAt });
	if (summary.firstDeclinedAt !== null)
		list.push({ stage: 'declined', at: summary.firstDeclinedAt });
	return list;
}

export function arrivalsOfCards(
	cards: readonly SummarizedCard[],
	period: Period
): { before: Partial<Record<string, number>>; arrivals: StageArrivals[] } {
	const before: Partial<Record<string, number>> = {};
	const byKey = new Map<string, StageArrivals>();
	for (const { summary } of cards) {
		for (const { stage, at } of arrivalsOf(summary)) {
			const day = localDay(at);
			if (day < period.from) before[stage] = (before[stage] ?? 0) + 1;
			else if (day <= period.to) {
				const key = `${day}|${stage}`;
				const entry = byKey.get(key) ?? { day, stage, arrivals: 0 };
				entry.arrivals += 1;
				byKey.set(key, entry);
			}
		}
	}
	return { before, arrivals: [...byKey.values()] };
}

/** Time in the stages before Standard of the cards finished in the period. */
export function stageTimeGroupsOf(
	cards: readonly SummarizedCard[],
	period: Period
): StageTimeGroup[] {
	return cards.flatMap(({ summary }) =>
		inPeriod(summary.reached.standard, period)
			? FLOW_STAGES.filter((s) => s !== 'standard' && summary.msInStage[s] > 0).map((stage) => ({
					stage,
					tenths: msToTenths(summary.msInStage[stage]),
					cards: 1
				}))
			: []
	);
}

/** The ideas proposed in the period, by where they are now. */
export function funnelOf(cards: readonly SummarizedCard[], period: Period): Funnel {
	const funnel: Funnel = {
		proposed: 0,
		started: 0,
		standard: 0,
		parked: 0,
		declined: 0,
		abandoned: 0,
		open: 0
	};
	for (const { summary } of cards) {
		if (!inPeriod(summary.createdAt, period)) continue;
		funnel.proposed += 1;
		if (summary.reached.plan !== null) funnel.started += 1;
		if (summary.endState === null) funnel.open += 1;
		else funnel[summary.endState] += 1;
	}
	return funnel;
}
