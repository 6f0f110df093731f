/**
 * S6: the whole flow report (every chart's query, through the real code: loadFlowReport reading
 * the summary tables card_flow / flow_daily_arrivals, folded from the stage events) for a team
 * of 100,000 cards and 1,000,000 stage events, and for a typical 2,000-card team, on the real
 * Postgres; the 100k report on PGlite too (printed); the Monte Carlo forecasts with 10,000 trials.
 * For comparison, the old report's four queries straight from card_events (one repetition).
 * Events are inserted in bulk and folded into the summaries as the first report would fold them
 * (refreshFlowSummaries; the time is printed as "summaries built"), so the measured reports read
 * current summaries, as they do on a live board where only the cards moved since are stale.
 */
import { sql, type Kysely } from 'kysely';
import path from 'node:path';
import { forecastHowMany, forecastWhen } from '../../src/lib/analytics/forecast';
import { loadFlowReport } from '../../src/lib/server/analytics/flow-report';
import type { FlowScope } from '../../src/lib/server/analytics/flow-scope';
import { refreshFlowSummaries } from '../../src/lib/server/analytics/flow-summaries';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { openDatabase, type OpenDatabase } from '../../src/lib/server/db/open';
import type { Database } from '../../src/lib/server/db/schema';
import type { ScenarioContext } from '../lib/harness';
import { round, summarize } from '../lib/stats';
import { createFreshDatabase } from '../lib/tillit-fixture';

const EVENTS_PER_CARD = 10;
const ZONE = 'Europe/Stockholm';
/** The report's "now": the end of the generated history, so the period is its last 52 weeks. */
const NOW = Date.parse('2026-11-27T12:00:00+01:00');
const PERIOD = new URLSearchParams({ from: '2025-11-28', to: '2026-11-27' });

interface Team {
	id: string;
	boards: number;
	cards: number;
}
const BIG: Team = { id: 'team_s6', boards: 20, cards: 100_000 };
const TYPICAL: Team = { id: 'team_s6_typical', boards: 2, cards: 2_000 };

export async function runS6(context: ScenarioContext): Promise<void> {
	const repetitions = context.full ? 15 : 5;
	const migrations = path.join(context.peerContext.repoRoot, 'migrations');

	const fresh = await createFreshDatabase('tillit_bench_s6');
	const postgres = await openDatabase({ databaseUrl: fresh.url, maxConnections: 2 });
	try {
		const size = await prepare(postgres, migrations, 'postgres');
		await measureReport(context, postgres.db, 'postgres', BIG, size.bigEvents, repetitions);
		await measureReport(context, postgres.db, 'postgres', TYPICAL, size.typicalEvents, repetitions);
		await measureRawQueries(context, postgres.db, size.bigEvents);
	} finally {
		await postgres.close();
		await fresh.drop();
	}

	const pglite = await openDatabase({});
	try {
		const size = await prepare(pglite, migrations, 'pglite');
		await measureReport(
			context,
			pglite.db,
			'pglite',
			BIG,
			size.bigEvents,
			Math.min(3, repetitions)
		);
	} finally {
		await pglite.close();
	}

	measureForecasts(context, repetitions);
}

async function prepare(database: OpenDatabase, migrations: string, peer: string) {
	const migrated = await migrateToLatest(database.db, migrations);
	if (!migrated.ok) throw new Error(`migration failed: ${migrated.message}`);
	await sql`insert into organisations (id, name) values ('org_s6', 'S6 kommun')`.execute(
		database.db
	);
	const t0 = performance.now();
	const bigEvents = await generate(database.db, BIG);
	const typicalEvents = await generate(database.db, TYPICAL);
	await sql`analyze`.execute(database.db);
	const seconds = (performance.now() - t0) / 1000;
	const counts = await sql<{ cards: string; days: string }>`
		select (select count(*) from card_flow)::text as cards,
		       (select count(*) from flow_daily_arrivals)::text as days`.execute(database.db);
	process.stdout.write(
		`   S6 ${peer}: generated ${BIG.cards + TYPICAL.cards} cards, ${bigEvents + typicalEvents} events; ` +
			`summaries folded (${counts.rows[0]!.cards} card_flow rows, ` +
			`${counts.rows[0]!.days} daily rows), ${seconds.toFixed(1)} s in all\n`
	);
	return { bigEvents, typicalEvents };
}

async function measureReport(
	context: ScenarioContext,
	db: Kysely<Database>,
	peer: string,
	team: Team,
	events: number,
	repetitions: number
): Promise<void> {
	const boardIds = Array.from({ length: team.boards }, (_, b) => `${team.id}_b${b}`);
	const scope: FlowScope = {
		kind: 'team',
		name: team.id,
		boardIds,
		teamIds: [team.id],
		boardId: null,
		teamId: team.id
	};
	const times: number[] = [];
	let finished = 0;
	for (let rep = 0; rep <= repetitions; rep++) {
		const started = performance.now();
		const result = await loadFlowReport(db, scope, PERIOD, NOW);
		if (!result.ok) throw new Error(`S6 report refused: ${result.problem}`);
		finished = result.report.cycle.count;
		if (rep > 0) times.push(performance.now() - started); // the first run warms caches
	}
	const summary = summarize(times);
	context.report.record({
		scenario: 'S6',
		peer,
		source: 'summary tables (card_flow, flow_daily_arrivals)',
		query: 'whole report (all charts, trust, forecasts)',
		cards: team.cards,
		events,
		finishedInPeriod: finished,
		repetitions,
		p50: round(summary.p50, 1),
		max: round(summary.max, 1)
	});
	process.stdout.write(
		`   S6 ${peer}: whole report, ${team.cards} cards / ${events} events ` +
			`(${finished} finished in the 52-week period): p50 ${summary.p50.toFixed(1)} ms, max ${summary.max.toFixed(1)} ms\n`
	);
}

/** The previous report's four queries over the raw events (what "today" cost), once. */
async function measureRawQueries(
	context: ScenarioContext,
	db: Kysely<Database>,
	events: number
): Promise<void> {
	const started = performance.now();
	await sql`
		with per_card as (
			select min(e.at) filter (where e.to_stage = 'plan') as started,
			       min(e.at) filter (where e.to_stage = 'standard') as finished
			from card_events e join boards b on b.id = e.board_id
			where b.team_id = ${BIG.id} group by e.board_id, e.card_id
		)
		select percentile_disc(array[0.5, 0.85, 0.95]) within group (
		         order by (finished at time zone ${ZONE})::date - (started at time zone ${ZONE})::date + 1)
		from per_card where started is not null and finished >= '2025-11-28'::date`.execute(db);
	await sql`
		select e.to_stage, (min(e.at) at time zone ${ZONE})::date as day
		from card_events e join boards b on b.id = e.board_id
		where b.team_id = ${BIG.id} group by e.board_id, e.card_id, e.to_stage`.execute(db);
	await sql`
		select e.card_id, bool_or(e.to_stage in ('standard', 'parked', 'declined')) as ended
		from card_events e join boards b on b.id = e.board_id
		where b.team_id = ${BIG.id} group by e.board_id, e.card_id`.execute(db);
	const ms = performance.now() - started;
	context.report.record({
		scenario: 'S6',
		peer: 'postgres',
		source: 'card_events (raw, for comparison)',
		query: 'percentiles + CFD + WIP, once',
		cards: BIG.cards,
		events,
		repetitions: 1,
		p50: round(ms, 1),
		max: round(ms, 1)
	});
	process.stdout.write(
		`   S6 postgres: the same from raw card_events (3 queries, once): ${ms.toFixed(0)} ms\n`
	);
}

function measureForecasts(context: ScenarioContext, repetitions: number): void {
	// A year of daily throughput like the big team's (about 220 a day, some zero days).
	const history = Array.from({ length: 364 }, (_, d) =>
		(d * 7919) % 13 === 0 ? 0 : 150 + ((d * 31) % 140)
	);
	for (const [name, run] of [
		['how many in 30 days', () => forecastHowMany(history, 30)],
		['when will 10,000 be done', () => forecastWhen(history, 10_000)]
	] as const) {
		const times: number[] = [];
		for (let rep = 0; rep <= repetitions; rep++) {
			const started = performance.now();
			const result = run();
			if (!result || result.trials !== 10_000) throw new Error('S6 forecast failed');
			if (rep > 0) times.push(performance.now() - started);
		}
		const summary = summarize(times);
		context.report.record({
			scenario: 'S6',
			peer: 'node',
			source: 'Monte Carlo, 10,000 trials, 364-day history',
			query: name,
			cards: 0,
			events: 0,
			repetitions,
			p50: round(summary.p50, 2),
			max: round(summary.max, 2)
		});
		process.stdout.write(
			`   S6 Monte Carlo ${name} (10,000 trials): p50 ${summary.p50.toFixed(2)} ms\n`
		);
	}
}

/**
 * `team.cards` cards on `team.boards` boards, 10 stage events each, spread over two years. Most go
 * through one adapt loop to Standard; every tenth is parked, every tenth is still in progress.
 */
async function generate(db: Kysely<Database>, team: Team): Promise<number> {
	await sql`insert into teams (id, organisation_id, name) values (${team.id}, 'org_s6', ${team.id})`.execute(
		db
	);
	await sql`
		insert into boards (id, team_id, name)
		select ${team.id} || '_b' || b, ${team.id}, 'Tavla ' || b from generate_series(0, ${team.boards - 1}) b`.execute(
		db
	);
	await sql`
		with paths(kind, stages) as (values
			(0, array['proposed','plan','do','check','act','plan','do','check','act','standard']),
			(1, array['proposed','plan','do','check','act','plan','do','check','act','parked']),
			(2, array['proposed','plan','do','check','plan','do','check','plan','do','check'])
		),
		card as (
			select i, ${team.id} || '_b' || (i % ${team.boards}) as board_id, 'card' || i as card_id,
			       case when i % 10 = 8 then 1 when i % 10 = 9 then 2 else 0 end as kind,
			       timestamptz '2024-11-27 08:00+01' + ((i * 7919) % 700) * interval '1 day'
			         + ((i * 31) % 9) * interval '1 hour' as start
			from generate_series(0, ${team.cards - 1}) i
		)
		insert into card_events (board_id, card_id, from_stage, to_stage, at, cycle)
		select c.board_id, c.card_id,
		       case when k = 1 then null else p.stages[k - 1] end,
		       p.stages[k],
		       c.start + (k - 1) * interval '3 days' + ((c.i * 13 + k * 101) % 47) * interval '1 hour',
		       case when k > 5 then 2 else 1 end
		from card c join paths p on p.kind = c.kind
		cross join generate_series(1, ${EVENTS_PER_CARD}) k`.execute(db);
	await refreshFlowSummaries(
		db,
		Array.from({ length: team.boards }, (_, b) => `${team.id}_b${b}`)
	);
	await sql`
		insert into cards (id, board_id, title, stage, cycle, created_at, updated_at, stage_entered_at, beneficiary, labels)
		select f.card_id, f.board_id, 'Kort ' || f.card_id, f.stage, f.cycle, f.created_at, f.stage_entered_at,
		       f.stage_entered_at, 'Boende', array['safety']
		from card_flow f join boards b on b.id = f.board_id where b.team_id = ${team.id}`.execute(db);
	return team.cards * EVENTS_PER_CARD;
}
