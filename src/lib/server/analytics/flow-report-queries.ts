/**
 * The flow report's reads: grouped rows from the summary tables (card_flow, flow_daily_arrivals,
 * brought up to date first by refreshFlowSummaries) and the card projection, never the event log. Each query is
 * bounded by the scope's boards and, where it can be, by an index on the period (card_flow's
 * finished / created / WIP indexes). The grouping mirrors src/lib/analytics/facts-from-summary.ts.
 *
 * Cards deleted since stay in the history figures (they did flow); WIP and follow-ups leave them out.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { REPORT_TIME_ZONE } from '../../analytics/days';
import type {
	FinishedGroup,
	Funnel,
	StageArrivals,
	StageTimeGroup,
	WipCard
} from '../../analytics/metrics';
import type { Period } from '../../analytics/period';
import { WIP_LIMIT, type ReportFacts } from '../../analytics/report';
import type { TrustFacts } from '../../analytics/trust';
import type { Database } from '../db/schema';
import { refreshFlowSummaries } from './flow-summaries';

export interface FlowFilters {
	beneficiary: string | null;
	label: string | null;
}

export interface FlowQueryInput {
	boardIds: string[];
	teamIds: string[];
	period: Period;
	filters: FlowFilters;
	today: string;
}

const Z = REPORT_TIME_ZONE;

/** The instant a local day starts. */
function dayStart(day: string): RawBuilder<unknown> {
	return sql`(${day}::date)::timestamp at time zone ${Z}`;
}

function hasFilters(filters: FlowFilters): boolean {
	return filters.beneficiary !== null || filters.label !== null;
}

/** `join cards c` plus the filters, or nothing when unfiltered. */
function filterJoin(filters: FlowFilters): RawBuilder<unknown> {
	if (!hasFilters(filters)) return sql``;
	return sql`join cards c on c.board_id = f.board_id and c.id = f.card_id
		${filters.beneficiary !== null ? sql`and c.beneficiary = ${filters.beneficiary}` : sql``}
		${filters.label !== null ? sql`and ${filters.label} = any(c.labels)` : sql``}`;
}

async function finishedGroups(db: Kysely<Database>, q: FlowQueryInput): Promise<FinishedGroup[]> {
	const rows = await sql<{
		finished_day: string;
		cycle_days: number;
		lead_days: number;
		cards: number;
		cycle_hours: number;
		board_id: string;
		card_id: string;
	}>`
		select f.finished_day::text as finished_day,
		       f.finished_day - f.started_day + 1 as cycle_days,
		       f.finished_day - f.proposed_day + 1 as lead_days,
		       count(*)::int as cards,
		       sum(extract(epoch from f.reached_standard_at - f.reached_plan_at) / 3600)::float8 as cycle_hours,
		       min(f.board_id) as board_id, min(f.card_id) as card_id
		from card_flow f ${filterJoin(q.filters)}
		where f.board_id = any(${q.boardIds}) and f.finished_day is not null
		  and f.finished_day between ${q.period.from}::date and ${q.period.to}::date
		group by f.finished_day, f.started_day, f.proposed_day
		order by 1, 2`.execute(db);
	return rows.rows.map((r) => ({
		finishedDay: r.finished_day,
		cycleDays: r.cycle_days,
		leadDays: r.lead_days,
		cards: r.cards,
		cycleHours: r.cycle_hours,
		card: r.cards === 1 ? { boardId: r.board_id, cardId: r.card_id } : null
	}));
}

async function wipCards(
	db: Kysely<Database>,
	q: FlowQueryInput
): Promise<{ cards: WipCard[]; total: number }> {
	const rows = await sql<{
		board_id: string;
		card_id: string;
		title: string;
		stage: string;
		started_day: string;
		total: number;
	}>`
		select f.board_id, f.card_id, c.title, f.stage,
		       f.started_day::text as started_day,
		       (count(*) over ())::int as total
		from card_flow f
		join cards c on c.board_id = f.board_id and c.id = f.card_id and c.deleted_at is null
		where f.board_id = any(${q.boardIds})
		  and f.end_state is null and f.reached_plan_at is not null and f.reached_standard_at is null
		  ${q.filters.beneficiary !== null ? sql`and c.beneficiary = ${q.filters.beneficiary}` : sql``}
		  ${q.filters.label !== null ? sql`and ${q.filters.label} = any(c.labels)` : sql``}
		order by f.started_day, f.card_id
		limit ${WIP_LIMIT}`.execute(db);
	return {
		cards: rows.rows.map((r) => ({
			boardId: r.board_id,
			cardId: r.card_id,
			title: r.title,
			stage: r.stage,
			startedDay: r.started_day
		})),
		total: rows.rows[0]?.total ?? 0
	};
}

async function arrivals(
	db: Kysely<Database>,
	q: FlowQueryInput
): Promise<{ before: Partial<Record<string, number>>; arrivals: StageArrivals[] }> {
	// Unfiltered: the per-day counts (days × stages rows). Filtered: the cards that match,
	// through the same arrival-day function the trigger uses.
	const source = hasFilters(q.filters)
		? sql`(select f.board_id, a.day, a.stage, 1 as arrivals
		       from card_flow f ${filterJoin(q.filters)}
		       cross join lateral card_flow_arrival_days(f) a
		       where f.board_id = any(${q.boardIds}) and f.created_day <= ${q.period.to}::date)`
		: sql`flow_daily_arrivals`;
	const rows = await sql<{ day: string | null; stage: string; arrivals: number }>`
		select case when s.day < ${q.period.from}::date then null else s.day::text end as day,
		       s.stage, sum(s.arrivals)::int as arrivals
		from ${source} s
		where s.board_id = any(${q.boardIds}) and s.day <= ${q.period.to}::date
		group by 1, 2
		having sum(s.arrivals) <> 0`.execute(db);
	const before: Partial<Record<string, number>> = {};
	const inPeriod: StageArrivals[] = [];
	for (const r of rows.rows) {
		if (r.day === null) before[r.stage] = r.arrivals;
		else inPeriod.push({ day: r.day, stage: r.stage, arrivals: r.arrivals });
	}
	return { before, arrivals: inPeriod };
}

async function stageTimes(db: Kysely<Database>, q: FlowQueryInput): Promise<StageTimeGroup[]> {
	const rows = await sql<StageTimeGroup>`
		select s.stage, ceil(s.ms / 8640000.0)::int as tenths, count(*)::int as cards
		from card_flow f ${filterJoin(q.filters)}
		cross join lateral (values ('proposed', f.ms_proposed), ('plan', f.ms_plan), ('do', f.ms_do),
			('check', f.ms_check), ('act', f.ms_act)) as s(stage, ms)
		where f.board_id = any(${q.boardIds}) and f.finished_day is not null
		  and f.finished_day between ${q.period.from}::date and ${q.period.to}::date
		  and s.ms > 0
		group by 1, 2`.execute(db);
	return rows.rows;
}

/** The funnel and the first responses of the ideas proposed in the period (one pass). */
async function proposals(
	db: Kysely<Database>,
	q: FlowQueryInput
): Promise<{
	funnel: Funnel;
	firstResponse: { value: number; count: number }[];
	unanswered: number;
}> {
	const rows = await sql<{
		response_days: number | null;
		proposed: number;
		started: number;
		standard: number;
		parked: number;
		declined: number;
		abandoned: number;
		open: number;
	}>`
		select f.first_response_day - f.created_day + 1 as response_days,
		       count(*)::int as proposed,
		       count(f.reached_plan_at)::int as started,
		       (count(*) filter (where f.end_state = 'standard'))::int as standard,
		       (count(*) filter (where f.end_state = 'parked'))::int as parked,
		       (count(*) filter (where f.end_state = 'declined'))::int as declined,
		       (count(*) filter (where f.end_state = 'abandoned'))::int as abandoned,
		       (count(*) filter (where f.end_state is null))::int as open
		from card_flow f ${filterJoin(q.filters)}
		where f.board_id = any(${q.boardIds})
		  and f.created_day between ${q.period.from}::date and ${q.period.to}::date
		group by 1`.execute(db);
	const funnel: Funnel = {
		proposed: 0,
		started: 0,
		standard: 0,
		parked: 0,
		declined: 0,
		abandoned: 0,
		open: 0
	};
	const firstResponse: { value: number; count: number }[] = [];
	let unanswered = 0;
	for (const r of rows.rows) {
		for (const key of Object.keys(funnel) as (keyof Funnel)[]) funnel[key] += r[key];
		if (r.response_days === null) unanswered += r.proposed;
		else firstResponse.push({ value: r.response_days, count: r.proposed });
	}
	return { funnel, firstResponse, unanswered };
}

/**
 * The people figures from the projection: proposers of the period's ideas, owners of and input
 * givers to the cards active in it (affected people no longer pending in the current cycle),
 * counted only among the scope's team members; the current cycle's decisions; follow-up dates.
 */
async function people(
	db: Kysely<Database>,
	q: FlowQueryInput
): Promise<Omit<TrustFacts, 'firstResponseDays' | 'unanswered'>> {
	const cardColumns = hasFilters(q.filters)
		? sql``
		: sql`join cards c on c.board_id = f.board_id and c.id = f.card_id`;
	const rows = await sql<{
		team_size: number;
		participants: number;
		proposers: number;
		owners: number;
		input_givers: number;
		decisions_all: number;
		decisions_without: number;
		overdue: number;
		upcoming: number;
		by_staff: number;
		by_managers: number;
		by_others: number;
	}>`
		with members as (
			select distinct on (m.user_id) m.user_id, m.role in ('admin', 'manager') as manages
			from team_members m where m.team_id = any(${q.teamIds})
			order by m.user_id, (m.role in ('admin', 'manager')) desc
		),
		active as (
			select c.proposer_id, c.owner_id, c.affected_user_ids, c.pending_input_user_ids, c.decision,
			       c.follow_up, f.created_day >= ${q.period.from}::date as proposed_in_period, f.end_state
			from card_flow f ${filterJoin(q.filters)} ${cardColumns}
			where f.board_id = any(${q.boardIds}) and c.deleted_at is null
			  and f.created_day <= ${q.period.to}::date
			  and (f.end_state is null or f.stage_entered_at >= ${dayStart(q.period.from)})
		),
		taking_part as (
			select t.user_id, t.how from (
				select proposer_id as user_id, 'proposer' as how from active where proposed_in_period
				union all select owner_id, 'owner' from active where owner_id is not null
				union all select u, 'input' from active a, unnest(a.affected_user_ids) u
				  where not (u = any(a.pending_input_user_ids))
			) t join members m on m.user_id = t.user_id
		),
		cards_counted as (
			select
				count(*) filter (where a.decision is not null and cardinality(a.pending_input_user_ids) = 0) as decisions_all,
				count(*) filter (where a.decision is not null and cardinality(a.pending_input_user_ids) > 0) as decisions_without,
				count(*) filter (where a.follow_up is not null and (a.end_state is null or a.end_state = 'standard') and a.follow_up < ${q.today}::date) as overdue,
				count(*) filter (where a.follow_up is not null and (a.end_state is null or a.end_state = 'standard') and a.follow_up >= ${q.today}::date) as upcoming,
				count(*) filter (where a.proposed_in_period and m.manages = false) as by_staff,
				count(*) filter (where a.proposed_in_period and m.manages = true) as by_managers,
				count(*) filter (where a.proposed_in_period and m.manages is null) as by_others
			from active a left join members m on m.user_id = a.proposer_id
		),
		people_counted as (
			select count(distinct user_id) as participants,
			       count(distinct user_id) filter (where how = 'proposer') as proposers,
			       count(distinct user_id) filter (where how = 'owner') as owners,
			       count(distinct user_id) filter (where how = 'input') as input_givers
			from taking_part
		)
		select (select count(*) from members)::int as team_size,
		       p.participants::int, p.proposers::int, p.owners::int, p.input_givers::int,
		       c.decisions_all::int, c.decisions_without::int, c.overdue::int, c.upcoming::int,
		       c.by_staff::int, c.by_managers::int, c.by_others::int
		from people_counted p, cards_counted c`.execute(db);
	const r = rows.rows[0]!;
	return {
		teamSize: r.team_size,
		participants: r.participants,
		proposers: r.proposers,
		owners: r.owners,
		inputGivers: r.input_givers,
		decisionsWithAllInput: r.decisions_all,
		decisionsWithoutAllInput: r.decisions_without,
		followUpsOverdue: r.overdue,
		followUpsUpcoming: r.upcoming,
		proposalsByStaff: r.by_staff,
		proposalsByManagers: r.by_managers,
		proposalsByOthers: r.by_others
	};
}

/** Everything one report needs; queries run one after another (PGlite has one session). */
export async function readReportFacts(
	db: Kysely<Database>,
	q: FlowQueryInput
): Promise<ReportFacts> {
	if (q.boardIds.length === 0) {
		return emptyFacts(await people(db, q));
	}
	await refreshFlowSummaries(db, q.boardIds);
	const finished = await finishedGroups(db, q);
	const wip = await wipCards(db, q);
	const flow = await arrivals(db, q);
	const times = await stageTimes(db, q);
	const ideas = await proposals(db, q);
	const trust = await people(db, q);
	return {
		finished,
		wip: wip.cards,
		wipTotal: wip.total,
		arrivalsBefore: flow.before,
		arrivals: flow.arrivals,
		stageTimes: times,
		funnel: ideas.funnel,
		trust: { ...trust, firstResponseDays: ideas.firstResponse, unanswered: ideas.unanswered }
	};
}

function emptyFacts(trust: Omit<TrustFacts, 'firstResponseDays' | 'unanswered'>): ReportFacts {
	return {
		finished: [],
		wip: [],
		wipTotal: 0,
		arrivalsBefore: {},
		arrivals: [],
		stageTimes: [],
		funnel: { proposed: 0, started: 0, standard: 0, parked: 0, declined: 0, abandoned: 0, open: 0 },
		trust: { ...trust, firstResponseDays: [], unanswered: 0 }
	};
}

export interface FilterOptions {
	beneficiaries: string[];
	labels: string[];
}

/** The beneficiaries and labels the scope's cards use: the only values a filter may take. */
export async function listFilterOptions(
	db: Kysely<Database>,
	boardIds: string[]
): Promise<FilterOptions> {
	if (boardIds.length === 0) return { beneficiaries: [], labels: [] };
	const beneficiaries = await sql<{ value: string }>`
		select distinct beneficiary as value from cards
		where board_id = any(${boardIds}) and beneficiary <> '' order by 1 limit 500`.execute(db);
	const labels = await sql<{ value: string }>`
		select distinct l as value from cards, unnest(labels) l
		where board_id = any(${boardIds}) order by 1 limit 500`.execute(db);
	return {
		beneficiaries: beneficiaries.rows.map((r) => r.value),
		labels: labels.rows.map((r) => r.value)
	};
}
