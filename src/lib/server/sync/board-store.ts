/**
 * Where board documents live in Postgres: an append-only log of Yjs updates (`board_updates`)
 * folded now and then into one snapshot (`board_snapshots`), plus the card projection and stage
 * events. Framework-free: the sync server uses it through the BoardStore interface (tests wrap it
 * to stall or fail commits), other code reads a document with getBoardDocumentState.
 *
 * Every write for one batch happens in ONE transaction on its `trx` (PGlite is one session: waiting
 * on a second connection from inside a transaction would deadlock).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import * as Y from 'yjs';
import type { Database } from '../db/schema';
import type {
	ProjectedCard,
	ProjectedFacts,
	RecordedStage,
	StageEvent,
	StoredCardRow
} from './card-projection';

/** Advisory-lock class for compaction (the second key is the board id's hash). */
const COMPACTION_LOCK_CLASS = 7_411_001;
/** Postgres allows 65,535 parameters per statement; cards rows have 33 columns. */
const ROWS_PER_STATEMENT = 1_000;

export interface StoredUpdates {
	/** Snapshot first, then the tail in sequence order. Empty for a board never written. */
	updates: Uint8Array[];
	snapshotLastSeq: string | null;
	/** The sequence numbers of the tail rows read (compaction deletes exactly these). */
	tailSeqs: string[];
	tailRows: number;
	tailBytes: number;
}

export interface LoadedBoard extends StoredUpdates {
	projection: StoredCardRow[];
	lastEvents: Map<string, RecordedStage>;
}

/** One group commit: the batch's updates merged into one row, its events and projection changes. */
export interface CommitBatch {
	boardId: string;
	/** null for a projection-only write (reconciliation on load). */
	update: Uint8Array | null;
	events: readonly StageEvent[];
	upserts: readonly ProjectedCard[];
	deletedCardIds: readonly string[];
}

export type CompactionOutcome =
	| { compacted: true; foldedRows: number; snapshotBytes: number }
	| { compacted: false; reason: 'nothing-to-fold' | 'locked' | 'raced' };

export interface BoardStore {
	loadBoard(boardId: string): Promise<LoadedBoard>;
	commit(batch: CommitBatch): Promise<void>;
	/**
	 * Folds the log into the snapshot. `currentState` encodes the loaded document of the only
	 * process that writes this board, which already holds every stored row: encoding it (~15 ms
	 * for 1,000 cards) replaces re-applying snapshot + log (~200 ms, measured by S4), which blocked
	 * the event loop and held back "saved" acknowledgements. Several processes per board would
	 * need to fold from storage again (or merge the other processes' rows).
	 */
	compact(boardId: string, currentState: () => Uint8Array): Promise<CompactionOutcome>;
	boardExists(boardId: string): Promise<boolean>;
}

/**
 * Reads snapshot and tail in one repeatable-read transaction, so a compaction committing in
 * between (another process) cannot make us miss the rows it folded.
 */
export async function readStoredUpdates(
	db: Kysely<Database>,
	boardId: string
): Promise<StoredUpdates> {
	return db
		.transaction()
		.setIsolationLevel('repeatable read')
		.execute(async (trx) => readUpdatesIn(trx, boardId));
}

/** readStoredUpdates inside the caller's transaction (src/lib/server/board-edit.ts uses it). */
export async function readUpdatesIn(
	trx: Kysely<Database> | Transaction<Database>,
	boardId: string
): Promise<StoredUpdates> {
	const snapshot = await trx
		.selectFrom('board_snapshots')
		.select(['data', 'last_seq'])
		.where('board_id', '=', boardId)
		.executeTakeFirst();
	// Every row still in the log, not just those above the snapshot's last_seq: compaction deletes
	// exactly the rows it folded, and a row committed late with a lower seq (another process) must
	// not be skipped. Re-applying a row the snapshot already holds is harmless in Yjs.
	const tail = await trx
		.selectFrom('board_updates')
		.select(['seq', 'data'])
		.where('board_id', '=', boardId)
		.orderBy('seq')
		.execute();
	const updates = snapshot
		? [snapshot.data, ...tail.map((row) => row.data)]
		: tail.map((r) => r.data);
	return {
		updates,
		snapshotLastSeq: snapshot ? String(snapshot.last_seq) : null,
		tailSeqs: tail.map((row) => String(row.seq)),
		tailRows: tail.length,
		tailBytes: tail.reduce((sum, row) => sum + row.data.byteLength, 0)
	};
}

/** The snapshot's last_seq and the log's sequence numbers, without the data (compaction). */
async function readStoredSeqs(db: Kysely<Database>, boardId: string): Promise<StoredUpdates> {
	return db
		.transaction()
		.setIsolationLevel('repeatable read')
		.execute(async (trx) => {
			const snapshot = await trx
				.selectFrom('board_snapshots')
				.select('last_seq')
				.where('board_id', '=', boardId)
				.executeTakeFirst();
			const tail = await trx
				.selectFrom('board_updates')
				.select('seq')
				.where('board_id', '=', boardId)
				.orderBy('seq')
				.execute();
			return {
				updates: [],
				snapshotLastSeq: snapshot ? String(snapshot.last_seq) : null,
				tailSeqs: tail.map((row) => String(row.seq)),
				tailRows: tail.length,
				tailBytes: 0
			};
		});
}

/** Applies stored updates to a fresh document and encodes it whole (deleted content collected). */
function foldUpdates(updates: readonly Uint8Array[]): Uint8Array {
	const doc = new Y.Doc();
	try {
		doc.transact(() => {
			for (const update of updates) Y.applyUpdate(doc, update);
		});
		return Y.encodeStateAsUpdate(doc);
	} finally {
		doc.destroy();
	}
}

/**
 * The board's whole document as one Yjs update (snapshot + tail), for code outside the sync
 * server: e2e seeding, exports, analytics. A board never written gives an empty document.
 */
export async function getBoardDocumentState(
	db: Kysely<Database>,
	boardId: string
): Promise<Uint8Array> {
	const stored = await readStoredUpdates(db, boardId);
	return foldUpdates(stored.updates);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

/** The `cards` columns that hold a card's PDCA facts (migration 20261127T2310). */
const FACT_COLUMNS = [
	'proposer_id',
	'proposer_name',
	'owner_id',
	'owner_name',
	'follow_up',
	'due',
	'decision',
	'labels',
	'affected_user_ids',
	'pending_input_user_ids',
	'support_what',
	'support_from',
	'support_raised_by',
	'support_open',
	'end_reason',
	'standard_effective_date',
	'standard_review_date',
	'standard_owner_id',
	'standard_owner_name',
	'standard_text',
	'adopted_from_board_id',
	'adopted_from_card_id'
] as const;

function factColumns(facts: ProjectedFacts) {
	return {
		proposer_id: facts.proposerId,
		proposer_name: facts.proposerName,
		owner_id: facts.ownerId,
		owner_name: facts.ownerName,
		follow_up: facts.followUp,
		due: facts.due,
		decision: facts.decision,
		labels: facts.labels,
		affected_user_ids: facts.affectedUserIds,
		pending_input_user_ids: facts.pendingInputUserIds,
		support_what: facts.supportWhat,
		support_from: facts.supportFrom,
		support_raised_by: facts.supportRaisedBy,
		support_open: facts.supportOpen,
		end_reason: facts.endReason,
		standard_effective_date: facts.standardEffectiveDate,
		standard_review_date: facts.standardReviewDate,
		standard_owner_id: facts.standardOwnerId,
		standard_owner_name: facts.standardOwnerName,
		standard_text: facts.standardText,
		adopted_from_board_id: facts.adoptedFromBoardId,
		adopted_from_card_id: facts.adoptedFromCardId
	} satisfies Record<(typeof FACT_COLUMNS)[number], unknown>;
}

/** Writes one batch inside `trx`: update row, stage events, projection upserts and deletions. */
export async function writeBatch(trx: Transaction<Database>, batch: CommitBatch): Promise<void> {
	const { boardId } = batch;
	if (batch.update) {
		await trx
			.insertInto('board_updates')
			.values({ board_id: boardId, data: batch.update })
			.execute();
	}
	for (const part of chunks(batch.events, ROWS_PER_STATEMENT)) {
		await trx
			.insertInto('card_events')
			.values(
				part.map((event) => ({
					board_id: boardId,
					card_id: event.cardId,
					from_stage: event.fromStage,
					to_stage: event.toStage,
					at: new Date(event.at),
					// A user deleted since they made the move leaves the event anonymous, not failing.
					by_user_id:
						event.byUserId === null
							? null
							: trx.selectFrom('users').select('id').where('id', '=', event.byUserId),
					cycle: event.cycle,
					override_reason: event.overrideReason ?? null
				}))
			)
			.execute();
	}
	for (const part of chunks(batch.upserts, ROWS_PER_STATEMENT)) {
		await trx
			.insertInto('cards')
			.values(
				part.map((card) => ({
					id: card.id,
					board_id: boardId,
					title: card.title,
					stage: card.stage,
					cycle: card.cycle,
					rank: card.rank,
					beneficiary: card.beneficiary,
					created_by: card.createdBy,
					created_at: new Date(card.createdAt),
					stage_entered_at: new Date(card.stageEnteredAt),
					deleted_at: null,
					...factColumns(card)
				}))
			)
			.onConflict((conflict) =>
				conflict.columns(['board_id', 'id']).doUpdateSet((eb) => ({
					title: eb.ref('excluded.title'),
					stage: eb.ref('excluded.stage'),
					cycle: eb.ref('excluded.cycle'),
					rank: eb.ref('excluded.rank'),
					beneficiary: eb.ref('excluded.beneficiary'),
					created_by: eb.ref('excluded.created_by'),
					stage_entered_at: eb.ref('excluded.stage_entered_at'),
					deleted_at: null,
					updated_at: sql<Date>`now()`,
					...Object.fromEntries(
						FACT_COLUMNS.map((column) => [column, eb.ref(`excluded.${column}`)])
					)
				}))
			)
			.execute();
	}
	for (const part of chunks(batch.deletedCardIds, ROWS_PER_STATEMENT)) {
		await trx
			.updateTable('cards')
			.set({ deleted_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
			.where('board_id', '=', boardId)
			.where('id', 'in', part)
			.where('deleted_at', 'is', null)
			.execute();
	}
}

export function createBoardStore(db: Kysely<Database>): BoardStore {
	return {
		async loadBoard(boardId) {
			return db
				.transaction()
				.setIsolationLevel('repeatable read')
				.execute(async (trx) => {
					const stored = await readUpdatesIn(trx, boardId);
					const rows = await trx
						.selectFrom('cards')
						.select([
							'id',
							'title',
							'stage',
							'cycle',
							'rank',
							'beneficiary',
							'created_by',
							'stage_entered_at',
							'deleted_at',
							'proposer_id',
							'proposer_name',
							'owner_id',
							'owner_name',
							'decision',
							'labels',
							'affected_user_ids',
							'pending_input_user_ids',
							'support_what',
							'support_from',
							'support_raised_by',
							'support_open',
							'end_reason',
							'standard_owner_id',
							'standard_owner_name',
							'standard_text',
							'adopted_from_board_id',
							'adopted_from_card_id',
							// pg would turn a `date` into a Date at local midnight; the text is exact.
							sql<string | null>`follow_up::text`.as('follow_up'),
							sql<string | null>`due::text`.as('due'),
							sql<string | null>`standard_effective_date::text`.as('standard_effective_date'),
							sql<string | null>`standard_review_date::text`.as('standard_review_date')
						])
						.where('board_id', '=', boardId)
						.execute();
					const projection: StoredCardRow[] = rows.map((row) => ({
						id: row.id,
						title: row.title,
						stage: row.stage,
						cycle: row.cycle,
						rank: row.rank,
						beneficiary: row.beneficiary,
						created_by: row.created_by,
						stage_entered_at: row.stage_entered_at,
						deleted_at: row.deleted_at,
						facts: {
							proposerId: row.proposer_id,
							proposerName: row.proposer_name,
							ownerId: row.owner_id,
							ownerName: row.owner_name,
							followUp: row.follow_up,
							due: row.due,
							decision: row.decision,
							labels: row.labels,
							affectedUserIds: row.affected_user_ids,
							pendingInputUserIds: row.pending_input_user_ids,
							supportWhat: row.support_what,
							supportFrom: row.support_from,
							supportRaisedBy: row.support_raised_by,
							supportOpen: row.support_open,
							endReason: row.end_reason,
							standardEffectiveDate: row.standard_effective_date,
							standardReviewDate: row.standard_review_date,
							standardOwnerId: row.standard_owner_id,
							standardOwnerName: row.standard_owner_name,
							standardText: row.standard_text,
							adoptedFromBoardId: row.adopted_from_board_id,
							adoptedFromCardId: row.adopted_from_card_id
						}
					}));
					const events = await trx
						.selectFrom('card_events')
						.distinctOn('card_id')
						.select(['card_id', 'to_stage', 'at', 'cycle'])
						.where('board_id', '=', boardId)
						.orderBy('card_id')
						.orderBy('at', 'desc')
						.orderBy('id', 'desc')
						.execute();
					const lastEvents = new Map<string, RecordedStage>(
						events.map((e) => [
							e.card_id,
							{ stage: e.to_stage, at: e.at.getTime(), cycle: e.cycle }
						])
					);
					return { ...stored, projection, lastEvents };
				});
		},

		async commit(batch) {
			await db.transaction().execute((trx) => writeBatch(trx, batch));
		},

		async compact(boardId, currentState) {
			// Only the sequence numbers are read, and read BEFORE encoding, so every row deleted below
			// is already in the encoded document; the lock covers only the writes.
			const stored = await readStoredSeqs(db, boardId);
			if (stored.tailSeqs.length === 0) return { compacted: false, reason: 'nothing-to-fold' };
			const folded = currentState();
			const lastSeq = stored.tailSeqs.reduce((max, seq) => (BigInt(seq) > BigInt(max) ? seq : max));
			return db.transaction().execute(async (trx): Promise<CompactionOutcome> => {
				// Two processes must not fold the same board at once; the loser simply skips.
				const lock = await sql<{ locked: boolean }>`
					select pg_try_advisory_xact_lock(${COMPACTION_LOCK_CLASS}, hashtext(${boardId})) as locked
				`.execute(trx);
				if (!lock.rows[0]?.locked) return { compacted: false, reason: 'locked' };
				const current = await trx
					.selectFrom('board_snapshots')
					.select('last_seq')
					.where('board_id', '=', boardId)
					.forUpdate()
					.executeTakeFirst();
				const currentSeq = current ? String(current.last_seq) : null;
				if (currentSeq !== stored.snapshotLastSeq) return { compacted: false, reason: 'raced' };
				await trx
					.insertInto('board_snapshots')
					.values({ board_id: boardId, data: folded, last_seq: lastSeq })
					.onConflict((conflict) =>
						conflict.column('board_id').doUpdateSet({
							data: folded,
							last_seq: lastSeq,
							updated_at: sql<Date>`now()`
						})
					)
					.execute();
				let foldedRows = 0;
				for (const part of chunks(stored.tailSeqs, ROWS_PER_STATEMENT)) {
					const deleted = await trx
						.deleteFrom('board_updates')
						.where('board_id', '=', boardId)
						.where(sql<boolean>`seq in (${sql.join(part)})`)
						.executeTakeFirst();
					foldedRows += Number(deleted.numDeletedRows);
				}
				return {
					compacted: true,
					foldedRows,
					snapshotBytes: folded.byteLength
				};
			});
		},

		async boardExists(boardId) {
			const row = await db
				.selectFrom('boards')
				.select('id')
				.where('id', '=', boardId)
				.executeTakeFirst();
			return row !== undefined;
		}
	};
}
