-- why: flow reports (issue 10) read a per-card flow summary and per-day arrival counts kept in the same transaction as the stage events (a trigger on card_events), never the raw event log for a whole period; backfilled here from existing events.

-- One row per card that has stage events: DESIGN.md §3's facts, folded from its events in (at, id) order.
-- "reached_<stage>_at" is the first arrival in that flow stage OR ANY LATER flow stage: a card that skips a stage
-- counts as having passed it, so started (reached_plan_at) ≤ … ≤ finished (reached_standard_at) and the
-- cumulative flow lines are ordered and never fall.
create table card_flow (
	board_id text not null references boards (id) on delete cascade,
	card_id text not null,
	-- The stage and cycle of the card's last event, and when it entered that stage (its open visit).
	stage text not null,
	cycle integer not null,
	stage_entered_at timestamptz not null,
	event_count integer not null,
	-- The card's first event: when it was proposed (or created straight into a later stage).
	created_at timestamptz not null,
	-- The first event after creation (any move, including to Parked or Declined): the first response.
	first_response_at timestamptz,
	reached_proposed_at timestamptz,
	reached_plan_at timestamptz,
	reached_do_at timestamptz,
	reached_check_at timestamptz,
	reached_act_at timestamptz,
	reached_standard_at timestamptz,
	first_parked_at timestamptz,
	first_declined_at timestamptz,
	-- Where the card ends now: standard, parked, declined (from outside Act) or abandoned (Act → Declined); null while in the flow.
	end_state text check (end_state is null or end_state in ('standard', 'parked', 'declined', 'abandoned')),
	-- Milliseconds spent in each stage over all CLOSED visits and cycles (the open visit is added at read time).
	ms_proposed bigint not null default 0,
	ms_plan bigint not null default 0,
	ms_do bigint not null default 0,
	ms_check bigint not null default 0,
	ms_act bigint not null default 0,
	ms_standard bigint not null default 0,
	ms_parked bigint not null default 0,
	ms_declined bigint not null default 0,
	-- Local (Swedish) calendar days of the instants above, so reports filter and subtract days without
	-- converting time zones for every row: created_at, reached_proposed_at, reached_plan_at (started),
	-- reached_standard_at (finished) and first_response_at.
	created_day date not null,
	proposed_day date,
	started_day date,
	finished_day date,
	first_response_day date,
	primary key (board_id, card_id)
);
create index card_flow_finished_idx on card_flow (board_id, finished_day) where finished_day is not null;
create index card_flow_created_idx on card_flow (board_id, created_day);
create index card_flow_wip_idx on card_flow (board_id, started_day)
	where end_state is null and reached_plan_at is not null and reached_standard_at is null;

-- How many cards first reached each stage (reached_* semantics for flow stages; first arrival for Parked and
-- Declined) per board and local day: the CFD and throughput without a filter read these few rows.
create table flow_daily_arrivals (
	board_id text not null references boards (id) on delete cascade,
	day date not null,
	stage text not null,
	arrivals integer not null,
	primary key (board_id, day, stage)
);

-- The summary row of one card, from its events (index card_events_board_card_idx).
create function card_flow_of(p_board_id text, p_card_id text) returns setof card_flow
language sql stable as $$
	with ev as (
		select e.id, e.from_stage, e.to_stage, e.at, e.cycle,
		       lead(e.at) over (order by e.at, e.id) as next_at
		from card_events e
		where e.board_id = p_board_id and e.card_id = p_card_id
	),
	agg as (
		select
			(array_agg(to_stage order by at desc, id desc))[1] as stage,
			(array_agg(from_stage order by at desc, id desc))[1] as last_from,
			(array_agg(cycle order by at desc, id desc))[1] as cycle,
			max(at) as stage_entered_at,
			count(*)::integer as event_count,
			min(at) as created_at,
			(array_agg(at order by at, id))[2] as first_response_at,
			min(at) filter (where to_stage in ('proposed', 'plan', 'do', 'check', 'act', 'standard')) as reached_proposed_at,
			min(at) filter (where to_stage in ('plan', 'do', 'check', 'act', 'standard')) as reached_plan_at,
			min(at) filter (where to_stage in ('do', 'check', 'act', 'standard')) as reached_do_at,
			min(at) filter (where to_stage in ('check', 'act', 'standard')) as reached_check_at,
			min(at) filter (where to_stage in ('act', 'standard')) as reached_act_at,
			min(at) filter (where to_stage = 'standard') as reached_standard_at,
			min(at) filter (where to_stage = 'parked') as first_parked_at,
			min(at) filter (where to_stage = 'declined') as first_declined_at,
			coalesce(sum(floor(extract(epoch from next_at - at) * 1000)) filter (where to_stage = 'proposed'), 0)::bigint as ms_proposed,
			coalesce(sum(floor(extract(epoch from next_at - at) * 1000)) filter (where to_stage = 'plan'), 0)::bigint as ms_plan,
			coalesce(sum(floor(extract(epoch from next_at - at) * 1000)) filter (where to_stage = 'do'), 0)::bigint as ms_do,
			coalesce(sum(floor(extract(epoch from next_at - at) * 1000)) filter (where to_stage = 'check'), 0)::bigint as ms_check,
			coalesce(sum(floor(extract(epoch from next_at - at) * 1000)) filter (where to_stage = 'act'), 0)::bigint as ms_act,
			coalesce(sum(floor(extract(epoch from next_at - at) * 1000)) filter (where to_stage = 'standard'), 0)::bigint as ms_standard,
			coalesce(sum(floor(extract(epoch from next_at - at) * 1000)) filter (where to_stage = 'parked'), 0)::bigint as ms_parked,
			coalesce(sum(floor(extract(epoch from next_at - at) * 1000)) filter (where to_stage = 'declined'), 0)::bigint as ms_declined
		from ev
	)
	select p_board_id, p_card_id, a.stage, a.cycle, a.stage_entered_at, a.event_count, a.created_at,
	       a.first_response_at, a.reached_proposed_at, a.reached_plan_at, a.reached_do_at, a.reached_check_at,
	       a.reached_act_at, a.reached_standard_at, a.first_parked_at, a.first_declined_at,
	       case a.stage
	         when 'standard' then 'standard'
	         when 'parked' then 'parked'
	         when 'declined' then case when a.last_from = 'act' then 'abandoned' else 'declined' end
	       end,
	       a.ms_proposed, a.ms_plan, a.ms_do, a.ms_check, a.ms_act, a.ms_standard, a.ms_parked, a.ms_declined,
	       (a.created_at at time zone 'Europe/Stockholm')::date,
	       (a.reached_proposed_at at time zone 'Europe/Stockholm')::date,
	       (a.reached_plan_at at time zone 'Europe/Stockholm')::date,
	       (a.reached_standard_at at time zone 'Europe/Stockholm')::date,
	       (a.first_response_at at time zone 'Europe/Stockholm')::date
	from agg a
	where a.event_count > 0
$$;

-- A summary row's contribution to flow_daily_arrivals: one (stage, local day) per arrival it holds.
-- The day is the Swedish calendar day (the reports' zone, src/lib/analytics/days.ts).
create function card_flow_arrival_days(f card_flow) returns table (stage text, day date)
language sql immutable as $$
	select s.stage, (s.at at time zone 'Europe/Stockholm')::date
	from unnest(
		array['proposed', 'plan', 'do', 'check', 'act', 'standard', 'parked', 'declined'],
		array[f.reached_proposed_at, f.reached_plan_at, f.reached_do_at, f.reached_check_at, f.reached_act_at,
		      f.reached_standard_at, f.first_parked_at, f.first_declined_at]
	) as s(stage, at)
	where s.at is not null
$$;

-- Refreshes the summary of every card in `touched` and moves the daily counts by the difference.
-- One statement: every CTE reads the snapshot from before it, so `old` is the summary as it was.
create function card_flow_refresh(touched_board_ids text[], touched_card_ids text[]) returns void
language plpgsql as $$
begin
	with touched as (
		select distinct t.board_id, t.card_id from unnest(touched_board_ids, touched_card_ids) as t(board_id, card_id)
	),
	old as (
		select c.* from card_flow c join touched t on t.board_id = c.board_id and t.card_id = c.card_id
	),
	fresh as (
		select f.* from touched t cross join lateral card_flow_of(t.board_id, t.card_id) f
	),
	upserted as (
		insert into card_flow select * from fresh
		on conflict (board_id, card_id) do update set
			stage = excluded.stage, cycle = excluded.cycle, stage_entered_at = excluded.stage_entered_at,
			event_count = excluded.event_count, created_at = excluded.created_at,
			first_response_at = excluded.first_response_at, reached_proposed_at = excluded.reached_proposed_at,
			reached_plan_at = excluded.reached_plan_at, reached_do_at = excluded.reached_do_at,
			reached_check_at = excluded.reached_check_at, reached_act_at = excluded.reached_act_at,
			reached_standard_at = excluded.reached_standard_at, first_parked_at = excluded.first_parked_at,
			first_declined_at = excluded.first_declined_at, end_state = excluded.end_state,
			ms_proposed = excluded.ms_proposed, ms_plan = excluded.ms_plan, ms_do = excluded.ms_do,
			ms_check = excluded.ms_check, ms_act = excluded.ms_act, ms_standard = excluded.ms_standard,
			ms_parked = excluded.ms_parked, ms_declined = excluded.ms_declined,
			created_day = excluded.created_day, proposed_day = excluded.proposed_day,
			started_day = excluded.started_day, finished_day = excluded.finished_day,
			first_response_day = excluded.first_response_day
		returning 1 -- a data-modifying CTE runs to completion whether or not it is read
	),
	deltas as (
		select d.board_id, d.day, d.stage, sum(d.delta)::integer as delta
		from (
			select o.board_id, a.day, a.stage, -1 as delta from old o cross join lateral card_flow_arrival_days(o) a
			union all
			select f.board_id, a.day, a.stage, 1 from fresh f cross join lateral card_flow_arrival_days(f) a
		) d
		group by d.board_id, d.day, d.stage
		having sum(d.delta) <> 0
	)
	insert into flow_daily_arrivals (board_id, day, stage, arrivals)
	select board_id, day, stage, delta from deltas
	on conflict (board_id, day, stage) do update set arrivals = flow_daily_arrivals.arrivals + excluded.arrivals;
end
$$;

-- Statement-level with a transition table: one refresh per insert statement, however many events it holds
-- (the sync server's batch, or a bulk import), in the same transaction as the events.
create function card_events_refresh_flow() returns trigger
language plpgsql as $$
declare
	board_ids text[];
	card_ids text[];
begin
	select array_agg(n.board_id), array_agg(n.card_id) into board_ids, card_ids from new_events n;
	perform card_flow_refresh(board_ids, card_ids);
	return null;
end
$$;

create trigger card_events_flow_summary
	after insert on card_events
	referencing new table as new_events
	for each statement execute function card_events_refresh_flow();

-- Backfill from the events already stored.
select card_flow_refresh(array_agg(board_id), array_agg(card_id))
from (select distinct board_id, card_id from card_events) existing;
