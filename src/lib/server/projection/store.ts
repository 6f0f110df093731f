/**
 * Where board documents live in Postgres: an append-only log of Yjs updates (`board_updates`)
 * folded now and then into one snapshot (`board_snapshots`), plus the card projection and stage
 * events. Framework-free: the sync server uses it through the BoardStore interface (tests wrap it
 * to stall or fail commits), other code reads a document with getBoardDocumentState.
 *
 * Every write for one batch is ONE statement (writeBatch): one round trip, atomic by itself, so a
 * busy board's commits cost what one insert costs. PGlite is one session: code here never waits
 * on a second connection from inside a transaction (it would deadlock).
 */
import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import * as Y from 'yjs';
import { countCards } from '../../board/document';
import { preparedStatement } from '../db/prepared';
import type { Database } from '../db/schema';
import {
	FACT_NAMES,
	factType,
	isInsertOnly,
	storedRowFrom,
	type FactName,
	type ProjectedRow,
	type StoredRow
} from './facts';
import type { FoldedState, Folder } from './fold-worker';
import type { RecordedStage, StageEvent } from './stage-events';

/** Advisory-lock class for compaction (the second key is the board id's hash). */
const COMPACTION_LOCK_CLASS = 7_411_001;
/** Compaction deletes the folded rows by sequence number, this many per statement. */
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
	projection: StoredRow[];
	lastEvents: Map<string, RecordedStage>;
}

/** One group commit: the batch's updates merged into one row, its events and projection changes. */
export interface CommitBatch {
	boardId: string;
	/** null for a projection-only write (reconciliation on load). */
	update: Uint8Array | null;
	events: readonly StageEvent[];
	upserts: readonly ProjectedRow[];
	deletedCardIds: readonly string[];
}

export type CompactionOutcome =
	| { compacted: true; foldedRows: number; snapshotBytes: number; folded: FoldedState }
	| { compacted: false; reason: 'nothing-to-fold' | 'locked' | 'raced' };

export interface BoardStore {
	loadBoard(boardId: string): Promise<LoadedBoard>;
	commit(batch: CommitBatch): Promise<void>;
	/**
	 * Folds the log into the snapshot: the stored snapshot and rows are read, `fold` turns them
	 * into one state (the sync server's FoldWorker does it off its event loop), and exactly the
	 * rows read are replaced by it. Rows committed meanwhile stay for the next fold.
	 */
	compact(boardId: string, fold: Folder): Promise<CompactionOutcome>;
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

/**
 * The one fold of stored updates (snapshot, then tail) into a document, as one transaction: the
 * room's load, edits without a sync server and getBoardDocumentState all read a board this way.
 */
export function applyStoredUpdates(doc: Y.Doc, updates: readonly Uint8Array[]): void {
	doc.transact(() => {
		for (const update of updates) Y.applyUpdate(doc, update);
	});
}

/**
 * Applies stored updates to a fresh document and encodes it whole (deleted content collected), on
 * the caller's thread. The sync server folds on a worker instead (fold-worker.ts, which must do
 * the same); this is the Folder for code that may block (tools, tests).
 */
export function foldUpdates(updates: readonly Uint8Array[]): FoldedState {
	const doc = new Y.Doc();
	try {
		applyStoredUpdates(doc, updates);
		return { state: Y.encodeStateAsUpdate(doc), cardCount: countCards(doc) };
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
	return foldUpdates(stored.updates).state;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

/**
 * A JS list as a Postgres array literal ('{"a","b"}'): each row's text[] value travels as one
 * element of a text[] parameter and is cast back per row, since a Postgres array cannot hold
 * arrays of different lengths.
 */
function arrayLiteral(values: readonly string[]): string {
	return `{${values.map((value) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

/** One column of rows as a parameter of its SQL type (timestamps as ISO text, lists as literals). */
function columnParameter(name: FactName, rows: readonly ProjectedRow[]): unknown[] {
	const type = factType(name);
	return rows.map((row) => {
		const value = row[name];
		if (type === 'timestamptz') return new Date(value as number).toISOString();
		if (type === 'text[]') return arrayLiteral(value as string[]);
		return value;
	});
}

/** The SQL type a column's parameter array is cast to (lists arrive as text literals, see above). */
function parameterType(name: FactName): string {
	const type = factType(name);
	return type === 'text[]' ? 'text[]' : `${type}[]`;
}

/**
 * The commit statement's text is built here by hand, not by Kysely: it is the one statement of
 * every commit, and compiling a 35-parameter query per commit was a measurable part of its CPU.
 * `param` adds a value and returns its placeholder.
 */
type Param = (value: unknown) => string;

/** The projected columns, in the facts table's order, quoted once. */
const COLUMNS = FACT_NAMES.map((name) => `"${name}"`).join(', ');
/** Per row, the value as inserted (lists arrive as literals, see arrayLiteral). */
const ROW_VALUES = FACT_NAMES.map((name) =>
	factType(name) === 'text[]' ? `r."${name}"::text[]` : `r."${name}"`
).join(', ');
const UPDATED = FACT_NAMES.filter((name) => !isInsertOnly(name))
	.map((name) => `"${name}" = excluded."${name}"`)
	.join(', ');

function upsertCards(param: Param, board: string, rows: readonly ProjectedRow[]): string {
	const arrays = [
		`${param(rows.map((row) => row.id))}::text[]`,
		...FACT_NAMES.map((name) => `${param(columnParameter(name, rows))}::${parameterType(name)}`)
	].join(', ');
	return `insert into cards (board_id, id, deleted_at, ${COLUMNS})
		select ${board}, r.id, null, ${ROW_VALUES}
		from unnest(${arrays}) as r(id, ${COLUMNS})
		on conflict (board_id, id) do update set ${UPDATED}, deleted_at = null, updated_at = now()`;
}

function insertEvents(param: Param, board: string, events: readonly StageEvent[]): string {
	// `with ordinality … order by`: ids follow the batch's order, which breaks ties of equal times.
	return `insert into card_events
			(board_id, card_id, from_stage, to_stage, at, by_user_id, cycle, override_reason)
		select ${board}, e.card_id, e.from_stage, e.to_stage, e.at,
			-- A user deleted since they made the move leaves the event anonymous, not failing.
			(select u.id from users u where u.id = e.by_user_id), e.cycle, e.override_reason
		from unnest(
			${param(events.map((e) => e.cardId))}::text[],
			${param(events.map((e) => e.fromStage))}::text[],
			${param(events.map((e) => e.toStage))}::text[],
			${param(events.map((e) => new Date(e.at).toISOString()))}::timestamptz[],
			${param(events.map((e) => e.byUserId))}::text[],
			${param(events.map((e) => e.cycle))}::integer[],
			${param(events.map((e) => e.overrideReason ?? null))}::text[]
		) with ordinality
			as e(card_id, from_stage, to_stage, at, by_user_id, cycle, override_reason, ord)
		order by e.ord`;
}

/**
 * Writes one batch as ONE statement (one round trip, atomic on its own): the update row, the
 * stage events, the projection upserts and the deletion marks, each a data-modifying CTE. Their
 * rows never overlap (a card is either upserted or marked deleted), which Postgres requires of
 * CTEs modifying one table. `db` may be a transaction (board-edit.ts runs it inside its own).
 */
export async function writeBatch(
	db: Kysely<Database> | Transaction<Database>,
	batch: CommitBatch
): Promise<void> {
	const parameters: unknown[] = [];
	const param: Param = (value) => {
		parameters.push(value);
		return `$${parameters.length}`;
	};
	const board = `${param(batch.boardId)}::text`;
	const parts: string[] = [];
	if (batch.update) {
		parts.push(
			`insert into board_updates (board_id, data) values (${board}, ${param(batch.update)})`
		);
	}
	if (batch.events.length > 0) parts.push(insertEvents(param, board, batch.events));
	if (batch.upserts.length > 0) parts.push(upsertCards(param, board, batch.upserts));
	if (batch.deletedCardIds.length > 0) {
		parts.push(`update cards set deleted_at = now(), updated_at = now()
			where board_id = ${board} and id = any(${param([...batch.deletedCardIds])}::text[])
				and deleted_at is null`);
	}
	if (parts.length === 0) return;
	const ctes = parts.map((part, i) => `w${i} as (${part})`).join(', ');
	// One of at most 16 texts (which parts are present): prepared once per connection.
	const text = preparedStatement(`with ${ctes} select 1`);
	await db.executeQuery(CompiledQuery.raw(text, parameters));
}

/** The load query's column list: derived from the facts table (dates as text, see facts.ts). */
function selectFacts() {
	return sql.join(
		FACT_NAMES.map((name) =>
			factType(name) === 'date' ? sql`${sql.ref(name)}::text as ${sql.ref(name)}` : sql.ref(name)
		)
	);
}

export function createBoardStore(db: Kysely<Database>): BoardStore {
	return {
		async loadBoard(boardId) {
			return db
				.transaction()
				.setIsolationLevel('repeatable read')
				.execute(async (trx) => {
					const stored = await readUpdatesIn(trx, boardId);
					const rows = await sql<Record<string, unknown>>`
						select id, deleted_at, ${selectFacts()} from cards where board_id = ${boardId}
					`.execute(trx);
					const projection = rows.rows.map(storedRowFrom);
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
			await writeBatch(db, batch);
		},

		async compact(boardId, fold) {
			// The rows deleted below are exactly the ones read and folded here; the lock covers only
			// the writes, so the fold (tens of ms on a worker) holds no lock and no connection.
			const stored = await readStoredUpdates(db, boardId);
			if (stored.tailSeqs.length === 0) return { compacted: false, reason: 'nothing-to-fold' };
			const folded = await fold(stored.updates);
			const data = folded.state;
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
					.values({ board_id: boardId, data, last_seq: lastSeq })
					.onConflict((conflict) =>
						conflict.column('board_id').doUpdateSet({
							data,
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
				return { compacted: true, foldedRows, snapshotBytes: data.byteLength, folded };
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
