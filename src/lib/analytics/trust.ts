/**
 * The trust figures (issue 10, DESIGN.md §2): from facts the server counts in the projection.
 * What the projection does not store is absent here on purpose (see TRUST_GAPS), never guessed.
 */
import { nearestRankPercentiles, type PercentileValues, type ValueCount } from './metrics';

export interface TrustFacts {
	/** People in the team(s) now (every role). */
	teamSize: number;
	/** Team members who proposed a card in the period, own an active card, or gave input to one. */
	participants: number;
	proposers: number;
	owners: number;
	inputGivers: number;
	/** Cards with an Act decision in the current cycle: did everyone affected answer first? */
	decisionsWithAllInput: number;
	decisionsWithoutAllInput: number;
	/** Active cards' follow-up dates: overdue (before today) vs due today or later. */
	followUpsOverdue: number;
	followUpsUpcoming: number;
	/** Proposals in the period: days (inclusive) from proposal to its first move. */
	firstResponseDays: ValueCount[];
	/** Proposals in the period nobody has moved yet. */
	unanswered: number;
	/** Proposals in the period by the proposer's role in the team now. */
	proposalsByStaff: number;
	proposalsByManagers: number;
	/** Proposer not (or no longer) in the team, or unknown. */
	proposalsByOthers: number;
}

/** Figures the issue asks for that Tillit does not store yet; the report says so next to them. */
export const TRUST_GAPS = [
	/** Comments are in the board document only: the first response counts moves, not comments. */
	'comments_not_projected',
	/** Follow-ups have a date but no "done" record: on time vs overdue is read from today's dates. */
	'follow_up_done_not_recorded',
	/** Only the current cycle's decision and pending input are projected. */
	'earlier_cycle_decisions_not_projected'
] as const;
export type TrustGap = (typeof TRUST_GAPS)[number];

export interface TrustFigures extends TrustFacts {
	/** participants ÷ teamSize, 0–1 (null for an empty team). */
	participationShare: number | null;
	/** decisionsWithAllInput ÷ all decisions (null: none). */
	allInputShare: number | null;
	/** overdue ÷ all follow-ups (null: none). */
	overdueShare: number | null;
	firstResponse: PercentileValues;
	/** staff ÷ proposals by known team members (null: none). */
	staffShare: number | null;
}

function share(part: number, whole: number): number | null {
	return whole > 0 ? part / whole : null;
}

export function trustFigures(facts: TrustFacts): TrustFigures {
	const p = nearestRankPercentiles(facts.firstResponseDays);
	return {
		...facts,
		participationShare: share(Math.min(facts.participants, facts.teamSize), facts.teamSize),
		allInputShare: share(
			facts.decisionsWithAllInput,
			facts.decisionsWithAllInput + facts.decisionsWithoutAllInput
		),
		overdueShare: share(facts.followUpsOverdue, facts.followUpsOverdue + facts.followUpsUpcoming),
		firstResponse: { 50: p[50] ?? null, 85: p[85] ?? null, 95: p[95] ?? null },
		staffShare: share(facts.proposalsByStaff, facts.proposalsByStaff + facts.proposalsByManagers)
	};
}
