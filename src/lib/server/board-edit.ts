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
import { cardsMap, observeCardChanges, readCard } from '../board/document';
import { readCardSummary } from '../board/pdca';
import type { Database } from './db/schema';
import { projectRow, type ProjectedRow } from './projection/facts';
import { recordStageChanges, type RecordedStage } from './projection/stage-events';
import { applyStoredUpdates, readUpdatesIn, writeBatch } from './projection/store';
import { currentBoardEditor, type BoardEditOutcome, type EditActor } from './sync/board-editor';

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
			applyStoredUpdates(doc, stored.updates);
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
				if (updates.length === 0) return { ok: true, value };
				const lastRecorded = await lastRecordedOf(trx, boardId, touched);
				// The same producer as the live room's server changes (trusted: no gates; the cycle
				// is the server's). Its corrections are made while updates are still collected.
				const { events } = recordStageChanges({
					doc,
					cardIds: touched,
					lastRecorded,
					sender: { userId: actor.userId, role: null },
					source: 'live',
					now,
					enforceLifecycleGates: false,
					placesBefore: new Map(),
					correct: (correction) => doc.transact(correction)
				});
				const upserts: ProjectedRow[] = [];
				const deletedCardIds: string[] = [];
				for (const id of touched) {
					const card = readCard(id, cardsMap(doc).get(id));
					if (!card) {
						deletedCardIds.push(id);
						continue;
					}
					const stageEnteredAt = lastRecorded.get(id)?.at ?? now;
					upserts.push(
						projectRow({ card, summary: readCardSummary(doc, id), stageEnteredAt, now })
					);
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
				stop();
			}
		} finally {
			doc.destroy();
		}
	});
}

/** Each card's last recorded stage event, for the cards an edit touched. */
async function lastRecordedOf(
	trx: Kysely<Database>,
	boardId: string,
	cardIds: ReadonlySet<string>
): Promise<Map<string, RecordedStage>> {
	if (cardIds.size === 0) return new Map();
	const rows = await trx
		.selectFrom('card_events')
		.distinctOn('card_id')
		.select(['card_id', 'to_stage', 'at', 'cycle'])
		.where('board_id', '=', boardId)
		.where('card_id', 'in', [...cardIds])
		.orderBy('card_id')
		.orderBy('at', 'desc')
		.orderBy('id', 'desc')
		.execute();
	return new Map(
		rows.map((r) => [r.card_id, { stage: r.to_stage, at: r.at.getTime(), cycle: r.cycle }])
	);
}
