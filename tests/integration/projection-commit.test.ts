/**
 * The group commit as one statement (src/lib/server/projection/store.ts, writeBatch): the update
 * row, the stage events, the projection upserts and the deletion marks land together, every
 * value as the document said (lists with quotes, commas and braces, dates, times to the ms), and
 * a load reads the same rows back equal (sameRow), so reconciliation plans nothing.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCard, readCards } from '../../src/lib/board/document';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import { projectRow, sameRow, type ProjectedRow } from '../../src/lib/server/projection/facts';
import { createBoardStore, writeBatch } from '../../src/lib/server/projection/store';
import { seedBoard, seedOrganisation, seedTeam, seedUser } from '../helpers/seed';
import { openTestDatabase } from '../helpers/test-database';

const NOW = 1_796_000_000_123;

let database: OpenDatabase;

beforeAll(async () => {
	database = await openTestDatabase();
});

afterAll(async () => {
	await database.close();
});

async function board() {
	const organisationId = await seedOrganisation(database.db);
	const teamId = await seedTeam(database.db, organisationId);
	const user = await seedUser(database.db, organisationId, { name: 'Skriv Are' });
	return { boardId: await seedBoard(database.db, teamId), userId: user.id };
}

/** A card row with facts that would break a naive array literal or date handling. */
function awkwardRow(id: string): ProjectedRow {
	const doc = new Y.Doc();
	createCard(doc, { title: 'Titel med "citat", komma och {klammer}', userId: 'u', now: NOW });
	const [card] = readCards(doc);
	return {
		...projectRow({ card: card!, summary: null, stageEnteredAt: NOW - 1, now: NOW }),
		id,
		labels: ['a,b', 'c"d', 'e\\f', '{g}', 'NULL', ''],
		affected_user_ids: [],
		pending_input_user_ids: ['p1'],
		follow_up: '2026-12-24',
		support_open: true,
		proposer_id: 'usr_x',
		proposer_name: 'Åsa Öberg'
	};
}

describe('writeBatch', () => {
	it('writes update, events, rows and deletions in one statement, and reads them back equal', async () => {
		const { boardId, userId } = await board();
		const kept = awkwardRow('card-kept');
		const gone = awkwardRow('card-gone');
		await writeBatch(database.db, {
			boardId,
			update: new Uint8Array([1, 2, 3]),
			events: [
				{
					cardId: 'card-kept',
					fromStage: null,
					toStage: 'proposed',
					at: NOW,
					byUserId: userId,
					cycle: 1
				},
				// Same time, a moment later in the batch: the id order keeps the batch's order.
				{
					cardId: 'card-kept',
					fromStage: 'proposed',
					toStage: 'plan',
					at: NOW,
					byUserId: 'usr_deleted_since',
					cycle: 1,
					overrideReason: 'Chefen sa ja'
				}
			],
			upserts: [kept, gone],
			deletedCardIds: []
		});
		// The next batch: one card changes (its creation time stays the first one), one is deleted.
		await writeBatch(database.db, {
			boardId,
			update: new Uint8Array([4]),
			events: [],
			upserts: [{ ...kept, title: 'Ny titel', labels: [], created_at: NOW + 50_000 }],
			deletedCardIds: ['card-gone']
		});

		const updates = await database.db
			.selectFrom('board_updates')
			.select('data')
			.where('board_id', '=', boardId)
			.orderBy('seq')
			.execute();
		expect(updates.map((row) => [...row.data])).toEqual([[1, 2, 3], [4]]);

		const events = await database.db
			.selectFrom('card_events')
			.select(['to_stage', 'at', 'by_user_id', 'override_reason'])
			.where('board_id', '=', boardId)
			.orderBy('id')
			.execute();
		expect(events).toEqual([
			{ to_stage: 'proposed', at: new Date(NOW), by_user_id: userId, override_reason: null },
			// A user who no longer exists leaves the event anonymous instead of failing the batch.
			{ to_stage: 'plan', at: new Date(NOW), by_user_id: null, override_reason: 'Chefen sa ja' }
		]);

		const loaded = await createBoardStore(database.db).loadBoard(boardId);
		const byId = new Map(loaded.projection.map((entry) => [entry.row.id, entry]));
		const keptRow = byId.get('card-kept')!;
		expect(keptRow.deleted).toBe(false);
		expect(keptRow.row.title).toBe('Ny titel');
		expect(keptRow.row.created_at).toBe(kept.created_at);
		expect(sameRow(keptRow.row, { ...kept, title: 'Ny titel', labels: [] })).toBe(true);
		const goneRow = byId.get('card-gone')!;
		expect(goneRow.deleted).toBe(true);
		// Every awkward value came back exactly as written.
		expect(goneRow.row).toEqual(gone);
		expect(loaded.lastEvents.get('card-kept')).toEqual({ stage: 'plan', at: NOW, cycle: 1 });
	});

	it('changes nothing when the board is gone (one statement: all or nothing)', async () => {
		const { userId } = await board();
		await expect(
			writeBatch(database.db, {
				boardId: 'brd_does_not_exist',
				update: new Uint8Array([9]),
				events: [
					{ cardId: 'c', fromStage: null, toStage: 'proposed', at: NOW, byUserId: userId, cycle: 1 }
				],
				upserts: [awkwardRow('c')],
				deletedCardIds: []
			})
		).rejects.toMatchObject({ code: '23503' });
		const rows = await database.db
			.selectFrom('cards')
			.select('id')
			.where('board_id', '=', 'brd_does_not_exist')
			.execute();
		expect(rows).toEqual([]);
	});

	it('runs prepared once per connection on Postgres (unnamed on PGlite’s shared session)', async () => {
		const { boardId } = await board();
		const prepared = await database.db.transaction().execute(async (trx) => {
			for (const [n, title] of ['Första', 'Andra'].entries()) {
				await writeBatch(trx, {
					boardId,
					update: new Uint8Array([n]),
					events: [],
					upserts: [{ ...awkwardRow('card-p'), title }],
					deletedCardIds: []
				});
			}
			// Same connection (the transaction's): the commit's text is a named statement there.
			const statements = await sql<{ name: string; statement: string }>`
				select name, statement from pg_prepared_statements`.execute(trx);
			return statements.rows;
		});
		const commit = prepared.filter((row) => row.statement.startsWith('with w0 as'));
		if (database.kind === 'postgres') {
			expect(commit.length).toBeGreaterThan(0);
			expect(commit.every((row) => row.name.startsWith('tillit_'))).toBe(true);
		} else {
			// Every pg client shares PGlite's one session: a named statement would collide there.
			expect(commit).toEqual([]);
		}
		const row = await database.db
			.selectFrom('cards')
			.select('title')
			.where('board_id', '=', boardId)
			.where('id', '=', 'card-p')
			.executeTakeFirstOrThrow();
		expect(row.title).toBe('Andra');
	});
});
