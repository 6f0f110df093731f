/**
 * S6: the flow report's SQL over 100k cards / 1M stage events. There is no analytics module yet,
 * so this measures the queries such a report needs, written to DESIGN.md §3's definitions
 * (started = first entry into Plan, finished = first entry into Standard, inclusive days,
 * nearest-rank percentiles via percentile_disc, zero-throughput weeks counted, CFD by first
 * arrival), against the real Postgres with generated card_events rows. Figures: each query's p50
 * and the whole report's p50 (all queries, one after another, as one page load would run them).
 */
import { sql } from 'kysely';
import path from 'node:path';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { openDatabase } from '../../src/lib/server/db/open';
import type { ScenarioContext } from '../lib/harness';
import { round, summarize } from '../lib/stats';
import { createFreshDatabase } from '../lib/tillit-fixture';

const BOARDS = 20;
const EVENTS_PER_CARD = 10;
const TEAM = 'team_s6';
const ZONE = 'Europe/Stockholm';

export async function runS6(context: ScenarioContext): Promise<void> {
	const cards = 100_000; // the target's size even in the bounded run: generating it takes ~10 s
	const repetitions = context.full ? 15 : 3;
	const fresh = await createFreshDatabase('tillit_bench_s6');
	const database = await openDatabase({ databaseUrl: fresh.url, maxConnections: 2 });
	try {
		const migrated = await migrateToLatest(
			database.db,
			path.join(context.peerContext.repoRoot, 'migrations')
		);
		if (!migrated.ok) throw new Error(`migration failed: ${migrated.message}`);
		const db = database.db;
		const t0 = performance.now();
		await generate(db, cards);
		const generatedIn = (performance.now() - t0) / 1000;
		const events = await sql<{ n: string }>`select count(*)::text as n from card_events`.execute(
			db
		);
		process.stdout.write(
			`   S6 generated ${cards} cards, ${events.rows[0]!.n} events in ${generatedIn.toFixed(1)} s\n`
		);

		// The report's period: the last 52 weeks of the generated history.
		const to = '2026-11-27';
		const from = '2025-11-28';
		const queries: Record<string, () => Promise<unknown>> = {
			'cycle-time percentiles': () =>
				sql`
				with per_card as (
					select min(e.at) filter (where e.to_stage = 'plan') as started,
					       min(e.at) filter (where e.to_stage = 'standard') as finished
					from card_events e join boards b on b.id = e.board_id
					where b.team_id = ${TEAM}
					group by e.board_id, e.card_id
				)
				select percentile_disc(array[0.5, 0.85, 0.95]) within group (
				         order by (finished at time zone ${ZONE})::date - (started at time zone ${ZONE})::date + 1
				       ) as days,
				       count(*) as finished_cards
				from per_card
				where started is not null and finished >= ${from}::date and finished < ${to}::date + 1`.execute(db),
			'throughput per week': () =>
				sql`
				with finished as (
					select date_trunc('week', min(e.at) filter (where e.to_stage = 'standard') at time zone ${ZONE}) as week
					from card_events e join boards b on b.id = e.board_id
					where b.team_id = ${TEAM}
					group by e.board_id, e.card_id
				),
				weeks as (
					select generate_series(date_trunc('week', ${from}::timestamp), ${to}::timestamp, interval '1 week') as week
				)
				select w.week, count(f.week) as finished
				from weeks w left join finished f on f.week = w.week
				group by w.week order by w.week`.execute(db),
			'CFD by day': () =>
				sql`
				with first_arrival as (
					select e.to_stage as stage, (min(e.at) at time zone ${ZONE})::date as day
					from card_events e join boards b on b.id = e.board_id
					where b.team_id = ${TEAM}
					group by e.board_id, e.card_id, e.to_stage
				),
				daily as (select stage, day, count(*) as arrived from first_arrival group by stage, day),
				grid as (
					select s.stage, d::date as day
					from unnest(array['proposed', 'plan', 'do', 'check', 'act', 'standard']) as s(stage)
					cross join generate_series((select min(day) from daily), ${to}::date, interval '1 day') as d
				),
				cumulative as (
					select g.stage, g.day,
					       sum(coalesce(daily.arrived, 0)) over (partition by g.stage order by g.day) as reached
					from grid g left join daily on daily.stage = g.stage and daily.day = g.day
				)
				select * from cumulative where day >= ${from}::date order by day, stage`.execute(db),
			'WIP ageing': () =>
				sql`
				with per_card as (
					select e.card_id,
					       min(e.at) filter (where e.to_stage = 'plan') as started,
					       bool_or(e.to_stage in ('standard', 'parked', 'declined')) as ended
					from card_events e join boards b on b.id = e.board_id
					where b.team_id = ${TEAM}
					group by e.board_id, e.card_id
				)
				select card_id, ${to}::date - (started at time zone ${ZONE})::date + 1 as age_days
				from per_card where started is not null and not ended
				order by age_days desc`.execute(db)
		};

		const eventCount = Number(events.rows[0]!.n);
		await measureReport(context, 'from card_events', queries, { cards, eventCount, repetitions });

		// What a per-card summary would give (a proposal, not in the schema): one row per card
		// with its first arrival in each stage, kept up to date with the projection. Built here in
		// bulk from the same events; the same four answers are then read from 100k rows, not 1M.
		const b0 = performance.now();
		await sql`
			create table bench_card_flow as
			select e.board_id, e.card_id,
			       min(e.at) filter (where e.to_stage = 'proposed') as proposed_at,
			       min(e.at) filter (where e.to_stage = 'plan') as started_at,
			       min(e.at) filter (where e.to_stage = 'do') as do_at,
			       min(e.at) filter (where e.to_stage = 'check') as check_at,
			       min(e.at) filter (where e.to_stage = 'act') as act_at,
			       min(e.at) filter (where e.to_stage = 'standard') as finished_at,
			       bool_or(e.to_stage in ('standard', 'parked', 'declined')) as ended
			from card_events e group by e.board_id, e.card_id`.execute(db);
		await sql`create index on bench_card_flow (board_id)`.execute(db);
		await sql`analyze bench_card_flow`.execute(db);
		process.stdout.write(
			`   S6 built a per-card flow summary (proposal) in ${((performance.now() - b0) / 1000).toFixed(1)} s\n`
		);
		const summaryQueries: Record<string, () => Promise<unknown>> = {
			'cycle-time percentiles': () =>
				sql`
				select percentile_disc(array[0.5, 0.85, 0.95]) within group (
				         order by (f.finished_at at time zone ${ZONE})::date - (f.started_at at time zone ${ZONE})::date + 1
				       ) as days, count(*)
				from bench_card_flow f join boards b on b.id = f.board_id
				where b.team_id = ${TEAM} and f.started_at is not null
				  and f.finished_at >= ${from}::date and f.finished_at < ${to}::date + 1`.execute(db),
			'throughput per week': () =>
				sql`
				with weeks as (
					select generate_series(date_trunc('week', ${from}::timestamp), ${to}::timestamp, interval '1 week') as week
				),
				finished as (
					select date_trunc('week', f.finished_at at time zone ${ZONE}) as week, count(*) as n
					from bench_card_flow f join boards b on b.id = f.board_id
					where b.team_id = ${TEAM} and f.finished_at is not null group by 1
				)
				select w.week, coalesce(f.n, 0) from weeks w left join finished f using (week) order by w.week`.execute(
					db
				),
			'CFD by day': () =>
				sql`
				with arrivals as (
					select s.stage, (s.at at time zone ${ZONE})::date as day
					from bench_card_flow f join boards b on b.id = f.board_id
					cross join lateral (values ('proposed', f.proposed_at), ('plan', f.started_at),
						('do', f.do_at), ('check', f.check_at), ('act', f.act_at), ('standard', f.finished_at)) as s(stage, at)
					where b.team_id = ${TEAM} and s.at is not null
				),
				daily as (select stage, day, count(*) as arrived from arrivals group by stage, day),
				grid as (
					select s.stage, d::date as day
					from unnest(array['proposed', 'plan', 'do', 'check', 'act', 'standard']) as s(stage)
					cross join generate_series((select min(day) from daily), ${to}::date, interval '1 day') as d
				),
				cumulative as (
					select g.stage, g.day,
					       sum(coalesce(daily.arrived, 0)) over (partition by g.stage order by g.day) as reached
					from grid g left join daily on daily.stage = g.stage and daily.day = g.day
				)
				select * from cumulative where day >= ${from}::date order by day, stage`.execute(db),
			'WIP ageing': () =>
				sql`
				select f.card_id, ${to}::date - (f.started_at at time zone ${ZONE})::date + 1 as age_days
				from bench_card_flow f join boards b on b.id = f.board_id
				where b.team_id = ${TEAM} and f.started_at is not null and not f.ended
				order by age_days desc`.execute(db)
		};
		await measureReport(context, 'from a per-card summary (proposal)', summaryQueries, {
			cards,
			eventCount,
			repetitions
		});
	} finally {
		await database.close();
		await fresh.drop();
	}
}

async function measureReport(
	context: ScenarioContext,
	source: string,
	queries: Record<string, () => Promise<unknown>>,
	size: { cards: number; eventCount: number; repetitions: number }
): Promise<void> {
	const perQuery: Record<string, number[]> = {};
	const totals: number[] = [];
	for (let rep = 0; rep <= size.repetitions; rep++) {
		const started = performance.now();
		for (const [name, query] of Object.entries(queries)) {
			const q0 = performance.now();
			await query();
			if (rep > 0) (perQuery[name] ??= []).push(performance.now() - q0);
		}
		if (rep > 0) totals.push(performance.now() - started); // the first run warms caches
	}
	const record = (name: string, times: number[]) => {
		const summary = summarize(times);
		context.report.record({
			scenario: 'S6',
			peer: 'postgres',
			source,
			query: name,
			cards: size.cards,
			events: size.eventCount,
			repetitions: size.repetitions,
			p50: round(summary.p50, 1),
			max: round(summary.max, 1)
		});
		process.stdout.write(`   S6 ${source}: ${name.padEnd(24)} p50 ${summary.p50.toFixed(0)} ms\n`);
	};
	for (const [name, times] of Object.entries(perQuery)) record(name, times);
	record('whole report', totals);
}

/**
 * 100k cards on 20 boards, 10 stage events each, spread over two years. Most cards go through one
 * adapt loop to Standard; every tenth is parked, every tenth is still in progress (looping).
 */
async function generate(db: Parameters<typeof migrateToLatest>[0], cards: number) {
	await sql`insert into organisations (id, name) values ('org_s6', 'S6 kommun')`.execute(db);
	await sql`insert into teams (id, organisation_id, name) values (${TEAM}, 'org_s6', 'Flöde')`.execute(
		db
	);
	await sql`
		insert into boards (id, team_id, name)
		select 'brd_s6_' || b, ${TEAM}, 'Tavla ' || b from generate_series(0, ${BOARDS - 1}) b`.execute(db);
	await sql`
		with paths(kind, stages) as (values
			(0, array['proposed','plan','do','check','act','plan','do','check','act','standard']),
			(1, array['proposed','plan','do','check','act','plan','do','check','act','parked']),
			(2, array['proposed','plan','do','check','plan','do','check','plan','do','check'])
		),
		card as (
			select i, 'brd_s6_' || (i % ${BOARDS}) as board_id, 'card' || i as card_id,
			       case when i % 10 = 8 then 1 when i % 10 = 9 then 2 else 0 end as kind,
			       timestamptz '2024-11-27 08:00+01' + ((i * 7919) % 700) * interval '1 day'
			         + ((i * 31) % 9) * interval '1 hour' as start
			from generate_series(0, ${cards - 1}) i
		)
		insert into card_events (board_id, card_id, from_stage, to_stage, at, cycle)
		select c.board_id, c.card_id,
		       case when k = 1 then null else p.stages[k - 1] end,
		       p.stages[k],
		       c.start + (k - 1) * interval '3 days' + ((c.i * 13 + k * 101) % 47) * interval '1 hour',
		       case when k > 5 then 2 else 1 end
		from card c join paths p on p.kind = c.kind
		cross join generate_series(1, ${EVENTS_PER_CARD}) k`.execute(db);
	await sql`
		insert into cards (id, board_id, title, stage, cycle, created_at, updated_at, stage_entered_at)
		select e.card_id, e.board_id, 'Kort ' || e.card_id, e.to_stage, e.cycle, e.at, e.at, e.at
		from card_events e
		where e.from_stage is not null and e.id in (
			select max(id) from card_events group by board_id, card_id
		)`.execute(db);
	await sql`analyze`.execute(db);
}
