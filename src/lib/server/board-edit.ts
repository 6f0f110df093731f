/**
 * Editing a board document from SvelteKit code (adopting a standard, a guest's input): the change
 * goes through the running sync server's room for the board (src/lib/server/sync/board-editor.ts),
 * so it is broadcast to open clients, stored, projected and its stage events written, and this
 * resolves once it is committed.
 *
 * When no sync server runs in this process (the dev server starts it on the first websocket;
 * scripts), no room can hold the board either, so the change is applied to the stored document
 * directly, in one transaction that also writes its events and projection rows. The board row is
 * locked meanwhile, so two such edits of one board never interleave.
 *
 * `change` must validate before it writes (Yjs has no rollback) and should be quick: on the live
 * path it runs inside the board's room. Framework-free.
 */
import type { Kysely } from 'kysely';
import * as Y from 'yjs';
import { cardsMap, observeCardChanges, readCard, readCardMove } from '../board/document';
import { readCardSummary } from '../board/pdca';
import type { Database } from './db/schema';
import { readUpdatesIn, writeBatch } from './sync/board-store';
import { currentBoardEditor, type BoardEditOutcome, type EditActor } from './sync/board-editor';
import {
	projectCard,
	recordedCycle,
	stageEventFor,
	type ProjectedCard,
	type RecordedStage,
	type StageEvent
} from './sync/card-projection';

export type { BoardEditOutcome, EditActor };

export async function editBoardDocument<T>(
	db: Kysely<Database>,
	boardId: string,
	actor: EditActor,
	change: (doc: Y.Doc) => T
): Promise<BoardEditOutcome<T>> {
	const live = currentBoardEditor();
	if (live) return live.edit(boardId, actor, change);
	return editStoredBoardDocument(db, boardId, actor, change);
}

/** The path without a sync server: read, change, write the update, events and rows at once. */
export async function editStoredBoardDocument<T>(
	db: Kysely<Database>,
	boardId: string,
	actor: EditActor,
	change: (doc: Y.Doc) => T,
	now = Date.now()
): Promise<BoardEditOutcome<T>> {
	return db.transaction().execute(async (trx): Promise<BoardEditOutcome<T>> => {
		const board = await trx
			.selectFrom('boards')
			.select('id')
			.where('id', '=', boardId)
			.forUpdate()
			.executeTakeFirst();
		if (!board) return { ok: false, reason: 'no_board' };
		const stored = await readUpdatesIn(trx, boardId);
		const doc = new Y.Doc();
		try {
			doc.transact(() => {
				for (const update of stored.updates) Y.applyUpdate(doc, update);
			});
			const updates: Uint8Array[] = [];
			const touched = new Set<string>();
			doc.on('update', (update: Uint8Array) => updates.push(update));
			const stop = observeCardChanges(doc, (ids) => {
				for (const id of ids) touched.add(id);
			});
			let value!: T;
			try {
				// A throw here rolls the transaction back: nothing is stored.
				doc.transact(() => {
					value = change(doc);
				});
			} finally {
				stop();
			}
			if (updates.length === 0) return { ok: true, value };

			const lastRows =
				touched.size === 0
					? []
					: await trx
							.selectFrom('card_events')
							.distinctOn('card_id')
							.select(['card_id', 'to_stage', 'at', 'cycle'])
							.where('board_id', '=', boardId)
							.where('card_id', 'in', [...touched])
							.orderBy('card_id')
							.orderBy('at', 'desc')
							.orderBy('id', 'desc')
							.execute();
			const last = new Map<string, RecordedStage>(
				lastRows.map((r) => [r.card_id, { stage: r.to_stage, at: r.at.getTime(), cycle: r.cycle }])
			);
			const events: StageEvent[] = [];
			const upserts: ProjectedCard[] = [];
			const deletedCardIds: string[] = [];
			for (const id of touched) {
				const move = readCardMove(doc, id);
				const card = readCard(id, cardsMap(doc).get(id));
				if (!move || !card) {
					deletedCardIds.push(id);
					continue;
				}
				const previous = last.get(id);
				const event = stageEventFor(
					{ id, ...move, cycle: recordedCycle(move, previous) },
					previous,
					{ byUserId: actor.userId, source: 'live', now }
				);
				if (event) events.push(event);
				const enteredAt = event?.at ?? previous?.at ?? now;
				upserts.push(projectCard(card, readCardSummary(doc, id), enteredAt, now));
			}
			await writeBatch(trx, {
				boardId,
				update: updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates),
				events,
				upserts,
				deletedCardIds
			});
			return { ok: true, value };
		} finally {
			doc.destroy();
		}
	});
}
