/**
 * Hand-checked cards for the metric specs (Stockholm is UTC+1 in November): each card's events as
 * the sync server records them, with the day each metric should give written beside it.
 */
import type { FlowEvent } from './flow-summary';
import { summarizeCardEvents } from './flow-summary';
import type { SummarizedCard } from './facts-from-summary';

let nextId = 1;
/** Events from [stage, ISO time] pairs; cycles follow adapt loops (Act → Plan). */
export function events(...moves: [string, string][]): FlowEvent[] {
	let cycle = 1;
	let from: string | null = null;
	return moves.map(([to, at]) => {
		if (from === 'act' && to === 'plan') cycle += 1;
		const event = { id: nextId++, fromStage: from, toStage: to, at: Date.parse(at), cycle };
		from = to;
		return event;
	});
}

export function card(cardId: string, list: FlowEvent[]): SummarizedCard {
	const summary = summarizeCardEvents(list);
	if (!summary) throw new Error(`fixture ${cardId} has no events`);
	return { boardId: 'board1', cardId, title: `Kort ${cardId}`, summary };
}

/** The report period of the fixtures: 2–15 November 2026 (two ISO weeks, Mon 2 – Sun 15). */
export const PERIOD = { from: '2026-11-02', to: '2026-11-15' };
export const TODAY = '2026-11-20';

/** Adapt loop: Act → Plan starts cycle 2; the clock keeps the FIRST Plan entry (3 Nov). */
export const adaptLoop = card(
	'adapt',
	events(
		['proposed', '2026-11-02T08:00:00+01:00'],
		['plan', '2026-11-03T08:00:00+01:00'],
		['do', '2026-11-04T08:00:00+01:00'],
		['check', '2026-11-05T08:00:00+01:00'],
		['act', '2026-11-06T08:00:00+01:00'],
		['plan', '2026-11-07T08:00:00+01:00'], // cycle 2
		['do', '2026-11-08T08:00:00+01:00'],
		['check', '2026-11-09T08:00:00+01:00'],
		['act', '2026-11-10T08:00:00+01:00'],
		['standard', '2026-11-11T08:00:00+01:00'] // cycle 3–11 Nov = 9 days, lead 2–11 = 10
	)
);

/** Skipped stage: Proposed → Do; started = first arrival at Do (4 Nov), Plan counts as passed. */
export const skippedPlan = card(
	'skip',
	events(
		['proposed', '2026-11-02T09:00:00+01:00'],
		['do', '2026-11-04T09:00:00+01:00'],
		['check', '2026-11-05T09:00:00+01:00'],
		['act', '2026-11-06T09:00:00+01:00'],
		['standard', '2026-11-10T09:00:00+01:00'] // cycle 4–10 = 7 days
	)
);

/** Same-day start and finish = 1 day; moves at 00:30 Stockholm fall on that Swedish day. */
export const sameDay = card(
	'sameday',
	events(
		['proposed', '2026-11-11T00:30:00+01:00'], // 10 Nov 23:30 UTC
		['plan', '2026-11-11T09:00:00+01:00'],
		['do', '2026-11-11T10:00:00+01:00'],
		['check', '2026-11-11T11:00:00+01:00'],
		['act', '2026-11-11T12:00:00+01:00'],
		['standard', '2026-11-11T15:00:00+01:00'] // cycle 1 day, lead 1 day
	)
);

/** Started before the period (20 Oct) and finished in it (3 Nov): 15 days, counted in the period. */
export const startedBefore = card(
	'before',
	events(
		['proposed', '2026-10-19T10:00:00+02:00'],
		['plan', '2026-10-20T10:00:00+02:00'],
		['do', '2026-10-27T10:00:00+01:00'],
		['check', '2026-10-30T10:00:00+01:00'],
		['act', '2026-11-02T10:00:00+01:00'],
		['standard', '2026-11-03T10:00:00+01:00'] // cycle 20 Oct – 3 Nov = 15 days, lead 16
	)
);

/**
 * Offline move: the card went to Standard on a phone on 5 Nov at 22:30 and reached the server on
 * 7 Nov; the event carries the (bounded) client time, so it finished on 5 Nov. Given in the order
 * the server stored them (the offline event last) — order by `at` decides, not arrival.
 */
export const offline = card(
	'offline',
	[
		...events(
			['proposed', '2026-11-02T10:00:00+01:00'],
			['plan', '2026-11-03T10:00:00+01:00'],
			['do', '2026-11-03T11:00:00+01:00'],
			['check', '2026-11-04T10:00:00+01:00'],
			['act', '2026-11-05T10:00:00+01:00'],
			['standard', '2026-11-05T22:30:00+01:00'] // cycle 3–5 Nov = 3 days
		)
	].reverse()
);

/** Parked: started, then "not now" — out of WIP, throughput and percentiles; its own series. */
export const parked = card(
	'parked',
	events(
		['proposed', '2026-11-03T10:00:00+01:00'],
		['plan', '2026-11-04T10:00:00+01:00'],
		['parked', '2026-11-06T10:00:00+01:00']
	)
);

/** Declined straight from Proposed (the first response, 9 Nov: 5 days inclusive). */
export const declined = card(
	'declined',
	events(['proposed', '2026-11-05T10:00:00+01:00'], ['declined', '2026-11-09T10:00:00+01:00'])
);

/** Abandoned: an Act decision to abandon sends the card to Declined from Act. */
export const abandoned = card(
	'abandoned',
	events(
		['proposed', '2026-11-02T10:00:00+01:00'],
		['plan', '2026-11-02T11:00:00+01:00'],
		['do', '2026-11-03T10:00:00+01:00'],
		['check', '2026-11-04T10:00:00+01:00'],
		['act', '2026-11-05T10:00:00+01:00'],
		['declined', '2026-11-06T10:00:00+01:00']
	)
);

/** In progress: started 9 Nov, now in Check; age on 20 Nov = 12 days (today − started + 1). */
export const inProgress = card(
	'wip',
	events(
		['proposed', '2026-11-08T10:00:00+01:00'],
		['plan', '2026-11-09T10:00:00+01:00'],
		['do', '2026-11-10T10:00:00+01:00'],
		['check', '2026-11-12T10:00:00+01:00']
	)
);

/** Proposed and never answered. */
export const unanswered = card('quiet', events(['proposed', '2026-11-12T10:00:00+01:00']));

export const ALL = [
	adaptLoop,
	skippedPlan,
	sameDay,
	startedBefore,
	offline,
	parked,
	declined,
	abandoned,
	inProgress,
	unanswered
];
