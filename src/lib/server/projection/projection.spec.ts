import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cardsMap, createCard, moveCard, readCardMove, readCards } from '../../board/document';
import { projectRow, sameRow, type ProjectedRow, type StoredRow } from './facts';
import { planReconciliation } from './reconcile';
import {
	boundMoveTime,
	recordedCycle,
	recordStageChanges,
	stageEventFor,
	type RecordedStage
} from './stage-events';

const NOW = 1_800_000_000_000;

describe('boundMoveTime', () => {
	it('keeps a time between the previous event and now', () => {
		expect(boundMoveTime(NOW - 5_000, NOW - 10_000, NOW)).toBe(NOW - 5_000);
	});
	it('clamps a future time to now', () => {
		expect(boundMoveTime(NOW + 86_400_000, NOW - 10_000, NOW)).toBe(NOW);
	});
	it('clamps a time before the previous event to that event', () => {
		expect(boundMoveTime(NOW - 60_000, NOW - 10_000, NOW)).toBe(NOW - 10_000);
	});
	it('uses now for a missing or nonsensical time', () => {
		expect(boundMoveTime(0, null, NOW)).toBe(NOW);
		expect(boundMoveTime(Number.NaN, NOW - 1, NOW)).toBe(NOW);
	});
	it('never goes before the previous event even when the clock stepped back', () => {
		expect(boundMoveTime(NOW, NOW + 1_000, NOW)).toBe(NOW + 1_000);
	});
});

describe('stageEventFor', () => {
	const card = { id: 'c1', stage: 'plan' as const, movedAt: NOW - 30_000, cycle: 2 };

	it('writes nothing when the stage equals the last recorded one (a losing concurrent move)', () => {
		const event = stageEventFor(
			card,
			{ stage: 'plan', at: NOW - 60_000, cycle: 2 },
			{ byUserId: 'u', source: 'live', now: NOW }
		);
		expect(event).toBeNull();
	});

	it('stamps a live move with the server’s time and the sender', () => {
		const event = stageEventFor(
			card,
			{ stage: 'proposed', at: NOW - 60_000, cycle: 2 },
			{ byUserId: 'u1', source: 'live', now: NOW }
		);
		expect(event).toEqual({
			cardId: 'c1',
			fromStage: 'proposed',
			toStage: 'plan',
			at: NOW,
			byUserId: 'u1',
			cycle: 2
		});
	});

	it('stamps a replayed (offline) move with its own time, bounded', () => {
		const event = stageEventFor(
			card,
			{ stage: 'proposed', at: NOW - 60_000, cycle: 2 },
			{ byUserId: 'u1', source: 'replayed', now: NOW }
		);
		expect(event?.at).toBe(NOW - 30_000);
	});

	it('compares with the last recorded stage, so A→C after a lost B gives one event from A', () => {
		const event = stageEventFor(
			{ ...card, stage: 'do' },
			{ stage: 'proposed', at: NOW - 1, cycle: 2 },
			{ byUserId: 'u', source: 'live', now: NOW }
		);
		expect([event?.fromStage, event?.toStage]).toEqual(['proposed', 'do']);
	});
});

describe('planReconciliation', () => {
	const EMPTY = projectRow({
		card: {
			id: '',
			title: '',
			description: '',
			stage: 'proposed',
			rank: 'a0',
			movedAt: NOW,
			movedBy: '',
			cycle: 1,
			beneficiary: '',
			createdBy: '',
			createdAt: NOW
		},
		summary: null,
		stageEnteredAt: NOW,
		now: NOW
	});
	function row(id: string, overrides: Partial<ProjectedRow> = {}): StoredRow {
		return { row: { ...EMPTY, id, ...overrides }, deleted: false };
	}

	it('plans rows for missing and stale cards, deletions for extra rows and events for changed stages', () => {
		const doc = new Y.Doc();
		const fine = createCard(doc, { title: 'Rätt', userId: 'u', now: NOW - 5_000 });
		const stale = createCard(doc, { title: 'Ny titel', userId: 'u', now: NOW - 5_000 });
		const missing = createCard(doc, { title: 'Saknas', userId: 'u', now: NOW - 5_000 });
		moveCard(doc, stale, { stage: 'do', index: 0, userId: 'u', now: NOW - 1_000 });
		const cards = readCards(doc);
		const byId = new Map(cards.map((c) => [c.id, c]));
		const rowFor = (id: string, at: number) => {
			const c = byId.get(id)!;
			return row(id, {
				title: c.title,
				stage: c.stage,
				rank: c.rank,
				created_by: 'u',
				stage_entered_at: at
			});
		};
		const lastEvents = new Map([
			[fine, { stage: 'proposed', at: NOW - 5_000, cycle: 1 }],
			[stale, { stage: 'proposed', at: NOW - 5_000, cycle: 1 }],
			[missing, { stage: 'proposed', at: NOW - 5_000, cycle: 1 }]
		]);
		const rows = [
			rowFor(fine, NOW - 5_000),
			row(stale, { ...rowFor(stale, NOW - 5_000).row, title: 'Gammal titel', stage: 'proposed' }),
			row('ghost')
		];
		const plan = planReconciliation(cards, rows, lastEvents, NOW);
		expect(plan.events).toEqual([
			{
				cardId: stale,
				fromStage: 'proposed',
				toStage: 'do',
				at: NOW - 1_000,
				byUserId: null,
				cycle: 1
			}
		]);
		expect(plan.upserts.map((u) => u.id).sort()).toEqual([missing, stale].sort());
		expect(plan.deletedCardIds).toEqual(['ghost']);
		expect(plan.lastRecorded.get(stale)).toEqual({ stage: 'do', at: NOW - 1_000, cycle: 1 });
	});

	it('gives a card with no event at all an event from nothing', () => {
		const doc = new Y.Doc();
		const id = createCard(doc, { title: 'Utan historik', userId: 'u', now: NOW - 5_000 });
		const plan = planReconciliation(readCards(doc), [], new Map(), NOW);
		expect(plan.events).toEqual([
			{
				cardId: id,
				fromStage: null,
				toStage: 'proposed',
				at: NOW - 5_000,
				byUserId: null,
				cycle: 1
			}
		]);
	});
});

describe('recordedCycle', () => {
	it('follows the last event: one more after an adapt (Act → Plan), else the same', () => {
		const last = { stage: 'act', at: NOW, cycle: 2 };
		expect(recordedCycle({ stage: 'plan', cycle: 9 }, last)).toBe(3);
		expect(recordedCycle({ stage: 'standard', cycle: 9 }, last)).toBe(2);
		expect(recordedCycle({ stage: 'plan', cycle: 4 }, undefined)).toBe(4);
	});
});

describe('the projection’s PDCA facts', () => {
	it('plans an upsert when a stored row’s facts differ from the card’s summary', () => {
		const doc = new Y.Doc();
		const id = createCard(doc, { title: 'Fakta', userId: 'u', now: NOW - 5_000 });
		const [card] = readCards(doc);
		const summary = {
			proposer: { id: 'u', name: 'U' },
			owner: null,
			followUp: '2026-12-01',
			due: null,
			decision: null,
			labels: ['quality'],
			affectedIds: ['a', 'b'],
			pendingInputIds: ['b'],
			support: null,
			endReason: '',
			standard: null,
			adoptedFrom: null
		};
		const lastEvents = new Map([[id, { stage: 'proposed', at: NOW - 5_000, cycle: 1 }]]);
		const summaries = new Map([[id, summary]]);
		const stored: StoredRow = {
			row: projectRow({ card: card!, summary, stageEnteredAt: NOW - 5_000, now: NOW }),
			deleted: false
		};
		expect(planReconciliation([card!], [stored], lastEvents, NOW, summaries).upserts).toEqual([]);
		const stale = { ...stored, row: { ...stored.row, pending_input_user_ids: ['a', 'b'] } };
		const plan = planReconciliation([card!], [stale], lastEvents, NOW, summaries);
		expect(plan.upserts).toMatchObject([
			{
				id,
				follow_up: '2026-12-01',
				labels: ['quality'],
				pending_input_user_ids: ['b'],
				proposer_id: 'u'
			}
		]);
		expect(sameRow(stale.row, plan.upserts[0]!)).toBe(false);
		expect(sameRow(stored.row, plan.upserts[0]!)).toBe(true);
	});
});

describe('recordStageChanges (the one producer of stage events)', () => {
	function setUp(recorded: RecordedStage) {
		const doc = new Y.Doc();
		const id = createCard(doc, { title: 'Kort', userId: 'u', now: NOW - 5_000 });
		const lastRecorded = new Map([[id, recorded]]);
		return { doc, id, lastRecorded };
	}
	const input = (doc: Y.Doc, id: string, lastRecorded: Map<string, RecordedStage>) => ({
		doc,
		cardIds: [id],
		lastRecorded,
		source: 'live' as const,
		now: NOW,
		enforceLifecycleGates: true,
		correct: (change: () => void) => doc.transact(change)
	});

	it('undoes a member’s move its gate refuses: no event, the card back where it was', () => {
		const { doc, id, lastRecorded } = setUp({ stage: 'proposed', at: NOW - 5_000, cycle: 1 });
		const before = cardsMap(doc).get(id)!.get('place');
		moveCard(doc, id, { stage: 'do', index: 0, userId: 'u', now: NOW - 1 });
		const changes = recordStageChanges({
			...input(doc, id, lastRecorded),
			sender: { userId: 'u', role: 'member' },
			placesBefore: new Map([[id, before]])
		});
		expect(changes.events).toEqual([]);
		expect(changes.corrected).toBe(true);
		expect(changes.refused.map((r) => [r.cardId, r.reason])).toEqual([[id, 'missing']]);
		expect(readCardMove(doc, id)!.stage).toBe('proposed');
		expect(lastRecorded.get(id)!.stage).toBe('proposed');
	});

	it('records a trusted change with the server’s time and cycle, correcting the document', () => {
		const { doc, id, lastRecorded } = setUp({ stage: 'act', at: NOW - 5_000, cycle: 2 });
		moveCard(doc, id, { stage: 'plan', index: 0, userId: 'u', now: NOW - 1 });
		const changes = recordStageChanges({
			...input(doc, id, lastRecorded),
			sender: { userId: 'u', role: null },
			placesBefore: new Map()
		});
		// Act → Plan is an adapt: the next cycle, whatever the document said.
		expect(changes.events).toEqual([
			{ cardId: id, fromStage: 'act', toStage: 'plan', at: NOW, byUserId: 'u', cycle: 3 }
		]);
		expect(readCardMove(doc, id)!.cycle).toBe(3);
		expect(lastRecorded.get(id)).toEqual({ stage: 'plan', at: NOW, cycle: 3 });
	});
});
