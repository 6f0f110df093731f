/**
 * Flow reports end to end on the database (issue 10): moves made through the real sync server by
 * the stock y-websocket client become stage events; a commit marks the cards it wrote events for
 * as stale, and refreshFlowSummaries folds them into card_flow and flow_daily_arrivals equal to
 * what the pure fold says about those events; and the report read from the summaries gives the numbers the pure metrics give. Plus who may
 * read a report, and bad input.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCard, moveCard } from '../../src/lib/board/document';
import type { Stage } from '../../src/lib/board/stages';
import {
	initCardDetail,
	moveThroughLifecycle,
	setCardField,
	setCycleField,
	type ActDecision
} from '../../src/lib/board/pdca';
import { localDay } from '../../src/lib/analytics/days';
import {
	arrivalsOfCards,
	finishedGroupsOf,
	funnelOf,
	stageTimeGroupsOf,
	wipCardsOf,
	type SummarizedCard
} from '../../src/lib/analytics/facts-from-summary';
import { summarizeCardEvents, type CardFlowSummary } from '../../src/lib/analytics/flow-summary';
import { buildFlowReport } from '../../src/lib/analytics/report';
import { loadFlowReport } from '../../src/lib/server/analytics/flow-report';
import {
	resolveBoardScope,
	resolveOrganisationScope,
	resolveTeamScope,
	type FlowScope
} from '../../src/lib/server/analytics/flow-scope';
import {
	exportBoardJson,
	exportCardsCsv,
	exportEventsCsv
} from '../../src/lib/server/analytics/flow-exports';
import { refreshFlowSummaries } from '../../src/lib/server/analytics/flow-summaries';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import { satisfyGates } from '../helpers/lifecycle';
import { connectClient, type TestClient } from '../helpers/sync-client';
import { startSyncHarness, waitFor, type SyncHarness } from '../helpers/sync-harness';
import { seedPerson, seedSyncWorld, type SeededPerson, type SyncWorld } from '../helpers/sync-seed';
import { seedBoard } from '../helpers/seed';
import { openTestDatabase } from '../helpers/test-database';

let database: OpenDatabase;
let harness: SyncHarness;
let world: SyncWorld;
let manager: SeededPerson;
let board: string;
let c: TestClient;
const ids: Record<string, string> = {};

function actor(person: SeededPerson) {
	return { id: person.id, organisationId: world.organisationId, isOrgAdmin: false };
}

function decide(kind: ActDecision['kind']): ActDecision {
	return {
		kind,
		reasons: 'Vi såg resultatet',
		by: { id: world.editor.id, name: 'Edit Ör' },
		at: Date.now(),
		decidedAnyway: null,
		inputs: []
	};
}

async function step(id: string, stage: Stage) {
	const moved = moveThroughLifecycle(c.doc, id, { stage, index: 0, userId: world.editor.id });
	expect(moved, `move to ${stage}`).toMatchObject({ ok: true });
	await waitFor(() => c.saved, `moved to ${stage}`);
}

function newCard(
	key: string,
	proposer: { id: string; name: string },
	extra: { label?: string } = {}
) {
	const id = createCard(c.doc, {
		title: `Kort ${key}`,
		beneficiary: key === 'E' ? 'Elever' : 'Boende',
		userId: proposer.id
	});
	initCardDetail(c.doc, id, proposer);
	if (extra.label) setCardField(c.doc, id, { key: 'labels', value: [extra.label] });
	ids[key] = id;
	return id;
}

async function eventsByCard(boardId: string): Promise<Map<string, CardFlowSummary>> {
	const rows = await database.db
		.selectFrom('card_events')
		.select(['id', 'card_id', 'from_stage', 'to_stage', 'at', 'cycle'])
		.where('board_id', '=', boardId)
		.execute();
	const byCard = new Map<string, typeof rows>();
	for (const row of rows) byCard.set(row.card_id, [...(byCard.get(row.card_id) ?? []), row]);
	const summaries = new Map<string, CardFlowSummary>();
	for (const [cardId, list] of byCard) {
		const summary = summarizeCardEvents(
			list.map((e) => ({
				id: Number(e.id),
				fromStage: e.from_stage,
				toStage: e.to_stage,
				at: e.at.getTime(),
				cycle: e.cycle
			}))
		);
		if (summary) summaries.set(cardId, summary);
	}
	return summaries;
}

beforeAll(async () => {
	database = await openTestDatabase();
	world = await seedSyncWorld(database.db);
	manager = await seedPerson(
		database.db,
		world.organisationId,
		world.teamId,
		'manager',
		'Chef Chefsson'
	);
	harness = await startSyncHarness(database);
	board = await seedBoard(database.db, world.teamId, 'Flödestavlan');
	c = connectClient(harness, board, { token: world.editor.token });
	await waitFor(() => c.provider.synced, 'synced');

	const editor = { id: world.editor.id, name: 'Edit Ör' };
	for (const key of ['A', 'B', 'C', 'D', 'E', 'F'])
		newCard(key, editor, key === 'E' ? { label: 'safety' } : {});
	newCard('G', { id: manager.id, name: 'Chef Chefsson' });
	for (const key of ['A', 'B', 'C', 'E', 'F']) satisfyGates(c.doc, ids[key]!);
	await waitFor(() => c.saved, 'cards created');

	// A: straight through to Standard.
	for (const stage of ['plan', 'do', 'check', 'act'] as const) await step(ids.A!, stage);
	setCycleField(c.doc, ids.A!, 1, { key: 'decision', value: decide('adopt') });
	await step(ids.A!, 'standard');
	// B: an adapt loop (cycle 2), then Standard.
	for (const stage of ['plan', 'do', 'check', 'act'] as const) await step(ids.B!, stage);
	setCycleField(c.doc, ids.B!, 1, { key: 'decision', value: decide('adapt') });
	await step(ids.B!, 'plan');
	satisfyGates(c.doc, ids.B!);
	for (const stage of ['do', 'check', 'act'] as const) await step(ids.B!, stage);
	setCycleField(c.doc, ids.B!, 2, { key: 'decision', value: decide('adopt') });
	await step(ids.B!, 'standard');
	// C: started, then parked.
	await step(ids.C!, 'plan');
	await step(ids.C!, 'parked');
	// D: declined straight from Proposed.
	setCardField(c.doc, ids.D!, { key: 'endReason', value: 'Finns redan' });
	await step(ids.D!, 'declined');
	// E: in progress, with a label and another beneficiary.
	await step(ids.E!, 'plan');
	await step(ids.E!, 'do');
	// F: to Plan live, then to Do offline with the phone's (earlier) clock.
	await step(ids.F!, 'plan');
}, 120_000);

afterAll(async () => {
	c.destroy();
	await harness.close();
	await database.close();
});

describe('the flow summary', () => {
	it('records an offline move at the client’s earlier time, in the summary too', async () => {
		const toPlan = await database.db
			.selectFrom('card_events')
			.select(['at'])
			.where('board_id', '=', board)
			.where('card_id', '=', ids.F!)
			.where('to_stage', '=', 'plan')
			.executeTakeFirstOrThrow();
		const clientTime = toPlan.at.getTime() + 1;
		await waitFor(() => Date.now() > clientTime + 20, 'the clock passed the client’s time');
		c.provider.disconnect();
		moveCard(c.doc, ids.F!, { stage: 'do', index: 0, userId: world.editor.id, now: clientTime });
		c.provider.connect();
		await waitFor(() => c.provider.synced && c.saved, 'saved after reconnecting');
		const toDo = await database.db
			.selectFrom('card_events')
			.select(['at', 'recorded_at'])
			.where('board_id', '=', board)
			.where('card_id', '=', ids.F!)
			.where('to_stage', '=', 'do')
			.executeTakeFirstOrThrow();
		expect(toDo.at.getTime()).toBe(clientTime);
		expect(toDo.recorded_at.getTime()).toBeGreaterThan(clientTime);
		await refreshFlowSummaries(database.db, [board]);
		const flow = await database.db
			.selectFrom('card_flow')
			.select(['stage', 'reached_do_at', 'stage_entered_at'])
			.where('board_id', '=', board)
			.where('card_id', '=', ids.F!)
			.executeTakeFirstOrThrow();
		expect(flow.stage).toBe('do');
		expect(flow.reached_do_at!.getTime()).toBe(clientTime);
	});

	it('is folded on read: a commit marks the moved card stale, one refresh folds it', async () => {
		const flowOfE = () =>
			database.db
				.selectFrom('card_flow')
				.select(['stage', 'event_count'])
				.where('board_id', '=', board)
				.where('card_id', '=', ids.E!)
				.executeTakeFirstOrThrow();
		await refreshFlowSummaries(database.db, [board]);
		const before = await flowOfE();
		expect(before.stage).toBe('do');
		await step(ids.E!, 'check');
		const stale = await database.db
			.selectFrom('card_flow_stale')
			.select('card_id')
			.where('board_id', '=', board)
			.execute();
		expect(stale.map((row) => row.card_id)).toEqual([ids.E]);
		expect(await refreshFlowSummaries(database.db, [board])).toBe(1);
		expect(await refreshFlowSummaries(database.db, [board])).toBe(0);
		const after = await flowOfE();
		expect(after).toEqual({ stage: 'check', event_count: before.event_count + 1 });
	});

	it('equals the fold of each card’s events, and the daily counts equal their arrivals', async () => {
		await refreshFlowSummaries(database.db, [board]);
		const expected = await eventsByCard(board);
		const rows = await database.db
			.selectFrom('card_flow')
			.selectAll()
			.where('board_id', '=', board)
			.execute();
		expect(rows).toHaveLength(7);
		const ms = (d: Date | null) => (d === null ? null : d.getTime());
		for (const row of rows) {
			const s = expected.get(row.card_id)!;
			expect({
				stage: row.stage,
				cycle: row.cycle,
				stageEnteredAt: ms(row.stage_entered_at),
				eventCount: row.event_count,
				createdAt: ms(row.created_at),
				firstResponseAt: ms(row.first_response_at),
				reached: {
					proposed: ms(row.reached_proposed_at),
					plan: ms(row.reached_plan_at),
					do: ms(row.reached_do_at),
					check: ms(row.reached_check_at),
					act: ms(row.reached_act_at),
					standard: ms(row.reached_standard_at)
				},
				firstParkedAt: ms(row.first_parked_at),
				firstDeclinedAt: ms(row.first_declined_at),
				endState: row.end_state,
				msInStage: {
					proposed: Number(row.ms_proposed),
					plan: Number(row.ms_plan),
					do: Number(row.ms_do),
					check: Number(row.ms_check),
					act: Number(row.ms_act),
					standard: Number(row.ms_standard),
					parked: Number(row.ms_parked),
					declined: Number(row.ms_declined)
				}
			}).toEqual(s);
		}
		const days = await sql<{
			card_id: string;
			created_day: string;
			proposed_day: string | null;
			started_day: string | null;
			finished_day: string | null;
			first_response_day: string | null;
		}>`select card_id, created_day::text, proposed_day::text, started_day::text, finished_day::text,
		          first_response_day::text from card_flow where board_id = ${board}`.execute(database.db);
		const day = (at: number | null) => (at === null ? null : localDay(at));
		for (const row of days.rows) {
			const s = expected.get(row.card_id)!;
			expect(row).toEqual({
				card_id: row.card_id,
				created_day: day(s.createdAt),
				proposed_day: day(s.reached.proposed),
				started_day: day(s.reached.plan),
				finished_day: day(s.reached.standard),
				first_response_day: day(s.firstResponseAt)
			});
		}
		expect(expected.get(ids.B!)!.cycle).toBe(2);
		expect(rows.find((r) => r.card_id === ids.D)!.end_state).toBe('declined');

		const cards: SummarizedCard[] = [...expected].map(([cardId, summary]) => ({
			boardId: board,
			cardId,
			title: '',
			summary
		}));
		const all = { from: '2000-01-01', to: '2099-12-31' };
		const daily = await database.db
			.selectFrom('flow_daily_arrivals')
			.select((eb) => [eb.cast<string>('day', 'text').as('day'), 'stage', 'arrivals'])
			.where('board_id', '=', board)
			.where('arrivals', '<>', 0)
			.execute();
		const key = (a: { day: string; stage: string }) => `${a.day} ${a.stage}`;
		expect(
			daily
				.map((d) => ({ day: d.day, stage: d.stage, arrivals: d.arrivals }))
				.sort((a, b) => key(a).localeCompare(key(b)))
		).toEqual(arrivalsOfCards(cards, all).arrivals.sort((a, b) => key(a).localeCompare(key(b))));
	});
});

describe('the report from the summaries', () => {
	async function expectedReport(scope: FlowScope, params: URLSearchParams) {
		const result = await loadFlowReport(database.db, scope, params);
		if (!result.ok) throw new Error(`report refused: ${result.problem}`);
		const summaries = await eventsByCard(board);
		const titles = await database.db
			.selectFrom('cards')
			.select(['id', 'title', 'labels', 'beneficiary'])
			.where('board_id', '=', board)
			.execute();
		const cards: SummarizedCard[] = [...summaries].flatMap(([cardId, summary]) => {
			const row = titles.find((t) => t.id === cardId)!;
			const label = params.get('label');
			if (label && !row.labels.includes(label)) return [];
			return [{ boardId: board, cardId, title: row.title, summary }];
		});
		const period = result.report.period;
		const { before, arrivals } = arrivalsOfCards(cards, period);
		const fromFold = buildFlowReport(
			{
				finished: finishedGroupsOf(cards, period),
				wip: wipCardsOf(cards).sort((a, b) => a.startedDay.localeCompare(b.startedDay)),
				wipTotal: wipCardsOf(cards).length,
				arrivalsBefore: before,
				arrivals,
				stageTimes: stageTimeGroupsOf(cards, period),
				funnel: funnelOf(cards, period),
				trust: result.report.trust
			},
			period,
			result.report.today,
			result.report.forecast
		);
		return { report: result.report, fromFold };
	}

	it('gives the numbers the pure metrics give from the same events', async () => {
		const scope = await resolveBoardScope(database.db, actor(manager), board);
		if (!scope.ok) throw new Error('manager refused');
		const { report, fromFold } = await expectedReport(scope.scope, new URLSearchParams());
		for (const key of [
			'cycle',
			'lead',
			'throughput',
			'weekly',
			'offFlow',
			'cfd',
			'stageTime',
			'funnel',
			'howMany',
			'when'
		] as const) {
			expect(report[key], key).toEqual(fromFold[key]);
		}
		expect(new Set(report.wip.map((w) => w.cardId))).toEqual(
			new Set(fromFold.wip.map((w) => w.cardId))
		);
		// And the facts as the test drove them.
		expect(report.funnel).toEqual({
			proposed: 7,
			started: 5,
			standard: 2,
			parked: 1,
			declined: 1,
			abandoned: 0,
			open: 3
		});
		expect(report.cycle.count).toBe(2);
		expect(report.wip.map((w) => w.cardId).sort()).toEqual([ids.E!, ids.F!].sort());
		expect(report.throughput.reduce((sum, d) => sum + d.finished, 0)).toBe(2);
		expect(report.trust).toMatchObject({
			teamSize: 4,
			proposalsByStaff: 6,
			proposalsByManagers: 1,
			unanswered: 1,
			proposers: 2
		});
		expect(report.howMany!.trials).toBe(10_000);
		expect(report.cfd.at(-1)).toMatchObject({ proposed: 7, plan: 5, standard: 2 });
	});

	it('filters by label, through the cards’ projection', async () => {
		const scope = await resolveTeamScope(database.db, actor(manager), world.teamId);
		if (!scope.ok) throw new Error('manager refused');
		const params = new URLSearchParams({ label: 'safety' });
		const { report, fromFold } = await expectedReport(scope.scope, params);
		expect(report.cfd).toEqual(fromFold.cfd);
		expect(report.funnel).toMatchObject({ proposed: 1, started: 1, open: 1 });
		expect(report.wip.map((w) => w.cardId)).toEqual([ids.E!]);
		expect(report.cycle.count).toBe(0);
	});
});

describe('who may read it, and bad input', () => {
	it('lets managers and org admins in, members get 403 and other teams 404', async () => {
		expect(await resolveBoardScope(database.db, actor(world.editor), board)).toEqual({
			ok: false,
			status: 403
		});
		expect(await resolveBoardScope(database.db, actor(world.outsider), board)).toEqual({
			ok: false,
			status: 404
		});
		expect(await resolveBoardScope(database.db, actor(manager), world.otherTeamBoardId)).toEqual({
			ok: false,
			status: 404
		});
		expect(await resolveTeamScope(database.db, actor(world.viewer), world.teamId)).toEqual({
			ok: false,
			status: 403
		});
		expect(await resolveOrganisationScope(database.db, actor(world.editor))).toEqual({
			ok: false,
			status: 403
		});
		const managed = await resolveOrganisationScope(database.db, actor(manager));
		expect(managed.ok && managed.scope.boardIds).not.toContain(world.otherTeamBoardId);
		const admin = await resolveOrganisationScope(database.db, {
			...actor(world.outsider),
			isOrgAdmin: true
		});
		expect(admin.ok && admin.scope.boardIds).toContain(world.otherTeamBoardId);
	});

	it('names an inverted or absurd period, an unknown filter and a bad forecast instead of reporting', async () => {
		const scope = await resolveBoardScope(database.db, actor(manager), board);
		if (!scope.ok) throw new Error('manager refused');
		const problem = async (params: Record<string, string>) => {
			const result = await loadFlowReport(database.db, scope.scope, new URLSearchParams(params));
			return result.ok ? 'ok' : result.problem;
		};
		const today = localDay(Date.now());
		expect(await problem({ from: today, to: '2020-01-01' })).toBe('inverted');
		expect(await problem({ from: '1850-01-01', to: '1850-02-01' })).toBe('out_of_range');
		expect(await problem({ from: 'igår' })).toBe('invalid_date');
		expect(await problem({ beneficiary: 'Någon annans' })).toBe('unknown_beneficiary');
		expect(await problem({ label: 'okänd' })).toBe('unknown_label');
		expect(await problem({ items: '-3' })).toBe('bad_forecast');
		expect(await problem({ beneficiary: 'Elever' })).toBe('ok');
		// Emptied date fields mean the default period, not an error.
		expect(await problem({ from: '', to: '' })).toBe('ok');
	});

	it('reports a period without data as zeros, not an error', async () => {
		const scope = await resolveBoardScope(database.db, actor(manager), board);
		if (!scope.ok) throw new Error('manager refused');
		const result = await loadFlowReport(
			database.db,
			scope.scope,
			new URLSearchParams({ from: '2020-01-01', to: '2020-01-31' })
		);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.report.cycle.count).toBe(0);
		expect(result.report.throughput).toHaveLength(31);
		expect(result.report.cfd.at(-1)).toMatchObject({ proposed: 0, standard: 0 });
		expect(result.report.funnel.proposed).toBe(0);
	});
});

describe('exports', () => {
	it('gives one CSV row per card and per stage event, and the board as document + events', async () => {
		const scope = await resolveBoardScope(database.db, actor(manager), board);
		if (!scope.ok) throw new Error('manager refused');
		const eventCount = (
			await database.db
				.selectFrom('card_events')
				.select('id')
				.where('board_id', '=', board)
				.execute()
		).length;
		const events = await exportEventsCsv(database.db, scope.scope, 'sv');
		expect(events.startsWith('\uFEFFboard;board_id;card_id;title;from_stage;to_stage')).toBe(true);
		expect(events.trimEnd().split('\r\n')).toHaveLength(eventCount + 1);
		const cards = await exportCardsCsv(database.db, scope.scope, 'en');
		expect(cards.trimEnd().split('\r\n')).toHaveLength(7 + 1);
		expect(cards).toContain('Kort B');
		const json = JSON.parse(
			await exportBoardJson(database.db, { ...scope.scope, kind: 'board' })
		) as { document: { cards: Record<string, unknown> }; events: unknown[] };
		expect(Object.keys(json.document.cards).sort()).toEqual(Object.values(ids).sort());
		expect(json.events).toHaveLength(eventCount);
	});
});
