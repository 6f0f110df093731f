/**
 * The lifecycle on the server (DESIGN.md §3): stage events carry the server's cycle through an
 * adapt loop, and a move that misses what its stage gate needs is undone unless a manager passed
 * it with a reason — whatever a modified client writes, the event log never records an illegal
 * transition as legal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { cardsMap, createCard, moveCard, readCardMove } from '../../src/lib/board/document';
import type { Stage } from '../../src/lib/board/stages';
import {
	cycleText,
	initCardDetail,
	moveThroughLifecycle,
	readCardDetail,
	setAffected,
	setCycleField,
	type ActDecision
} from '../../src/lib/board/pdca';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import { satisfyGates } from '../helpers/lifecycle';
import { connectClient, type TestClient } from '../helpers/sync-client';
import { startSyncHarness, waitFor, type SyncHarness } from '../helpers/sync-harness';
import { seedPerson, seedSyncWorld, type SeededPerson, type SyncWorld } from '../helpers/sync-seed';
import { openTestDatabase } from '../helpers/test-database';
import { seedBoard } from '../helpers/seed';
import { seedBoardCards } from '../helpers/sync-seed';

let database: OpenDatabase;
let harness: SyncHarness;
let world: SyncWorld;
let manager: SeededPerson;
const clients: TestClient[] = [];

function client(boardId: string, token: string): TestClient {
	const c = connectClient(harness, boardId, { token });
	clients.push(c);
	return c;
}

function events(boardId: string, cardId: string) {
	return database.db
		.selectFrom('card_events')
		.select(['from_stage', 'to_stage', 'at', 'by_user_id', 'cycle', 'override_reason'])
		.where('board_id', '=', boardId)
		.where('card_id', '=', cardId)
		.orderBy('id')
		.execute();
}

async function row(boardId: string, cardId: string) {
	return database.db
		.selectFrom('cards')
		.select(['stage', 'cycle', 'decision', 'pending_input_user_ids'])
		.where('board_id', '=', boardId)
		.where('id', '=', cardId)
		.executeTakeFirstOrThrow();
}

/** A connected member on a fresh board with one new card (PDCA structure included). */
async function boardWithCard(token = world.editor.token, userId = world.editor.id) {
	const board = await seedBoard(database.db, world.teamId);
	const c = client(board, token);
	await waitFor(() => c.provider.synced, 'synced');
	const id = createCard(c.doc, { title: 'Frukosten dröjer', beneficiary: 'Boende', userId });
	initCardDetail(c.doc, id, { id: userId, name: 'Edit Ör' });
	await waitFor(() => c.saved, 'created');
	return { board, c, id };
}

const stageOf = (doc: Y.Doc, id: string) => readCardMove(doc, id)?.stage;

function decide(kind: ActDecision['kind'], decidedAnyway: string | null = null): ActDecision {
	return {
		kind,
		reasons: 'Vi har sett resultatet',
		by: { id: world.editor.id, name: 'Edit Ör' },
		at: Date.now(),
		decidedAnyway,
		inputs: []
	};
}

/** A legal move through the lifecycle, awaited until the server has stored it. */
async function step(c: TestClient, id: string, stage: Stage, userId = world.editor.id) {
	const moved = moveThroughLifecycle(c.doc, id, { stage, index: 0, userId });
	expect(moved, `move to ${stage}`).toMatchObject({ ok: true });
	await waitFor(() => c.saved, `moved to ${stage}`);
}

beforeAll(async () => {
	database = await openTestDatabase();
	world = await seedSyncWorld(database.db);
	manager = await seedPerson(database.db, world.organisationId, world.teamId, 'manager', 'Chef');
	harness = await startSyncHarness(database);
});

afterAll(async () => {
	for (const c of clients) c.destroy();
	await harness.close();
	await database.close();
});

describe('stage events through PDCA cycles', () => {
	it('records an adapt loop to Standard with the cycle of each step and the server’s times', async () => {
		const before = Date.now();
		const { board, c, id } = await boardWithCard();
		satisfyGates(c.doc, id); // problem, goal and result of cycle 1
		for (const stage of ['plan', 'do', 'check', 'act'] as const) await step(c, id, stage);
		setCycleField(c.doc, id, 1, { key: 'decision', value: decide('adapt') });
		await step(c, id, 'plan');
		expect(readCardMove(c.doc, id)?.cycle).toBe(2);
		// Cycle 2 needs its own goal and result.
		satisfyGates(c.doc, id);
		for (const stage of ['do', 'check', 'act'] as const) await step(c, id, stage);
		setCycleField(c.doc, id, 2, { key: 'decision', value: decide('adopt') });
		await step(c, id, 'standard');
		const after = Date.now();

		const recorded = await events(board, id);
		expect(recorded.map((e) => e.to_stage)).toEqual([
			'proposed',
			'plan',
			'do',
			'check',
			'act',
			'plan',
			'do',
			'check',
			'act',
			'standard'
		]);
		expect(recorded.map((e) => e.cycle)).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
		expect(recorded.every((e) => e.by_user_id === world.editor.id)).toBe(true);
		expect(recorded.every((e) => e.override_reason === null)).toBe(true);
		for (let i = 0; i < recorded.length; i++) {
			const at = recorded[i]!.at.getTime();
			expect(at).toBeGreaterThanOrEqual(i === 0 ? before : recorded[i - 1]!.at.getTime());
			expect(at).toBeLessThanOrEqual(after);
		}
		expect(await row(board, id)).toMatchObject({ stage: 'standard', cycle: 2, decision: 'adopt' });
		// The first cycle stays readable.
		const detail = readCardDetail(c.doc, id)!;
		expect(detail.cycles.map((cycle) => cycle.decision?.kind)).toEqual(['adapt', 'adopt']);
	});

	it('keeps the cycle the server’s: a plain adapt move starts cycle 2, a forged cycle is put back', async () => {
		const { board, c, id } = await boardWithCard();
		satisfyGates(c.doc, id);
		for (const stage of ['plan', 'do', 'check', 'act'] as const) await step(c, id, stage);
		setCycleField(c.doc, id, 1, { key: 'decision', value: decide('adapt') });
		// The board's drag writes only the place; the server starts the next cycle itself.
		moveCard(c.doc, id, { stage: 'plan', index: 0, userId: world.editor.id });
		await waitFor(() => readCardMove(c.doc, id)?.cycle === 2, 'the server started cycle 2');
		expect(readCardDetail(c.doc, id)!.cycles.map((cycle) => cycle.number)).toEqual([1, 2]);
		// A modified client claims cycle 7 without any move.
		cardsMap(c.doc).get(id)!.set('cycle', 7);
		await waitFor(() => readCardMove(c.doc, id)?.cycle === 2, 'cycle put back');
		await waitFor(() => c.saved, 'saved');
		expect((await events(board, id)).map((e) => [e.to_stage, e.cycle])).toEqual([
			['proposed', 1],
			['plan', 1],
			['do', 1],
			['check', 1],
			['act', 1],
			['plan', 2]
		]);
		expect(await row(board, id)).toMatchObject({ stage: 'plan', cycle: 2 });
	});
});

describe('cycles on load', () => {
	it('corrects a stored document whose card says another cycle than its last event', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const {
			cardIds: [id]
		} = await seedBoardCards(database.db, board, 1, world.editor.id);
		// As if a cycle had been recorded that the stored document never got.
		await database.db
			.updateTable('card_events')
			.set({ cycle: 2 })
			.where('board_id', '=', board)
			.execute();
		const c = client(board, world.editor.token);
		await waitFor(() => readCardMove(c.doc, id!)?.cycle === 2, 'corrected on load');
		await waitFor(async () => (await row(board, id!)).cycle === 2, 'projected');
		expect((await events(board, id!)).map((e) => e.cycle)).toEqual([2]);
	});
});

describe('stage gates on the server', () => {
	it('undoes a member’s move to Do without a goal (written straight into `place`), recording nothing', async () => {
		const { board, c, id } = await boardWithCard();
		const watcher = client(board, world.editor2.token);
		await waitFor(() => watcher.provider.synced, 'watcher synced');
		const placeBefore: unknown = cardsMap(c.doc).get(id)!.get('place');
		// A modified client skips moveThroughLifecycle and writes the key itself.
		cardsMap(c.doc)
			.get(id)!
			.set('place', { stage: 'do', rank: 'a5', movedAt: Date.now(), movedBy: world.editor.id });
		await waitFor(() => c.refusals.length === 1, 'told why');
		await waitFor(() => stageOf(c.doc, id) === 'proposed', 'sender sees the undo');
		await waitFor(() => stageOf(watcher.doc, id) === 'proposed' && c.saved, 'everyone agrees');
		expect(c.refusals[0]).toEqual({
			cardId: id,
			reason: 'missing',
			missing: ['problem', 'goal']
		});
		expect(cardsMap(c.doc).get(id)!.get('place')).toEqual(placeBefore);
		expect((await events(board, id)).map((e) => e.to_stage)).toEqual(['proposed']);
		expect((await row(board, id)).stage).toBe('proposed');
	});

	it('refuses a member’s override: only managers may pass a gate', async () => {
		const { board, c, id } = await boardWithCard();
		moveCard(c.doc, id, {
			stage: 'do',
			index: 0,
			userId: world.editor.id,
			override: 'Jag bestämmer'
		});
		await waitFor(() => c.refusals.length === 1, 'told why');
		await waitFor(() => stageOf(c.doc, id) === 'proposed' && c.saved, 'undone');
		expect(c.refusals[0]).toMatchObject({ reason: 'not_allowed' });
		expect((await events(board, id)).map((e) => e.to_stage)).toEqual(['proposed']);
	});

	it('records a manager’s override with its reason', async () => {
		const { board, id } = await boardWithCard();
		const boss = client(board, manager.token);
		await waitFor(() => boss.provider.synced, 'manager synced');
		moveCard(boss.doc, id, {
			stage: 'do',
			index: 0,
			userId: manager.id,
			override: 'Samma mål som förra året'
		});
		await waitFor(() => boss.saved, 'saved');
		expect(stageOf(boss.doc, id)).toBe('do');
		expect(boss.refusals).toEqual([]);
		const recorded = await events(board, id);
		expect(recorded.at(-1)).toMatchObject({
			from_stage: 'proposed',
			to_stage: 'do',
			by_user_id: manager.id,
			cycle: 1,
			override_reason: 'Samma mål som förra året'
		});
	});

	it('does not record an override reason for a move that needed none', async () => {
		const { board, id } = await boardWithCard();
		const boss = client(board, manager.token);
		await waitFor(() => boss.provider.synced, 'manager synced');
		moveCard(boss.doc, id, { stage: 'parked', index: 0, userId: manager.id, override: 'Vänta' });
		await waitFor(() => boss.saved && stageOf(boss.doc, id) === 'parked', 'parked');
		expect((await events(board, id)).at(-1)).toMatchObject({
			to_stage: 'parked',
			override_reason: null
		});
	});

	it('refuses to leave Act while people affected have not answered, unless decided anyway', async () => {
		const { board, c, id } = await boardWithCard();
		satisfyGates(c.doc, id);
		for (const stage of ['plan', 'do', 'check', 'act'] as const) await step(c, id, stage);
		setAffected(c.doc, id, { id: world.editor2.id, name: 'Edit Två' }, true);
		cycleText(c.doc, id, 1, 'learned')!.insert(0, 'Morgonpasset behöver en person till');
		setCycleField(c.doc, id, 1, { key: 'decision', value: decide('adopt') });
		await waitFor(() => c.saved, 'decided');
		expect((await row(board, id)).pending_input_user_ids).toEqual([world.editor2.id]);

		moveCard(c.doc, id, { stage: 'standard', index: 0, userId: world.editor.id });
		await waitFor(() => c.refusals.length === 1, 'told why');
		await waitFor(() => stageOf(c.doc, id) === 'act' && c.saved, 'undone');
		expect(c.refusals[0]).toMatchObject({ missing: ['inputs_pending'] });

		setCycleField(c.doc, id, 1, {
			key: 'decision',
			value: decide('adopt', 'Edit Två är föräldraledig till maj')
		});
		moveCard(c.doc, id, { stage: 'standard', index: 0, userId: world.editor.id });
		await waitFor(() => c.saved && stageOf(c.doc, id) === 'standard', 'adopted');
		expect((await events(board, id)).map((e) => e.to_stage)).toEqual([
			'proposed',
			'plan',
			'do',
			'check',
			'act',
			'standard'
		]);
	});

	it('puts a card created straight into a later stage back into Proposed', async () => {
		const board = await seedBoard(database.db, world.teamId);
		const c = client(board, world.editor.token);
		await waitFor(() => c.provider.synced, 'synced');
		const id = createCard(c.doc, { title: 'Direkt i Gör', stage: 'do', userId: world.editor.id });
		await waitFor(() => stageOf(c.doc, id) === 'proposed' && c.saved, 'put back');
		expect((await events(board, id)).map((e) => [e.from_stage, e.to_stage])).toEqual([
			[null, 'proposed']
		]);
	});
});
