/**
 * Stand-up meetings of a board: starting one records its time (at most one open per board — a
 * partial unique index, so two people pressing "start" at once get the same meeting); ending one
 * keeps a summary. "Changed since the last stand-up" is measured from the end of the previous
 * meeting: what was moved during that meeting was seen by everyone in it.
 */
import type { Kysely } from 'kysely';
import * as v from 'valibot';
import { isStage, STAGES, type Stage } from '../board/stages';
import type { Database } from './db/schema';
import { newId } from './id';

export interface StandupDto {
	id: string;
	startedAt: string;
	endedAt: string | null;
}

export interface StageMoveDto {
	cardId: string;
	title: string;
	from: Stage | null;
	to: Stage;
	at: string;
	byName: string | null;
}

const ShortText = v.pipe(v.string(), v.trim(), v.maxLength(200));
const Id = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/));

/** What the facilitator's screen sends when the meeting ends (checked; the moves are the server's). */
export const StandupReportSchema = v.object({
	attendees: v.pipe(v.array(ShortText), v.maxLength(100)),
	discussed: v.pipe(v.array(v.object({ id: Id, title: ShortText })), v.maxLength(500)),
	actions: v.pipe(
		v.array(v.object({ cardTitle: ShortText, text: ShortText, owner: ShortText })),
		v.maxLength(200)
	),
	parkingLot: v.pipe(v.array(ShortText), v.maxLength(100))
});
export type StandupReport = v.InferOutput<typeof StandupReportSchema>;

export interface StandupSummary extends StandupReport {
	moves: StageMoveDto[];
}

export interface StandupSummaryDto extends StandupDto {
	startedByName: string | null;
	summary: StandupSummary | null;
}

function toDto(row: { id: string; started_at: Date; ended_at: Date | null }): StandupDto {
	return {
		id: row.id,
		startedAt: row.started_at.toISOString(),
		endedAt: row.ended_at?.toISOString() ?? null
	};
}

export async function getOpenStandup(
	db: Kysely<Database>,
	boardId: string
): Promise<StandupDto | null> {
	const row = await db
		.selectFrom('standups')
		.select(['id', 'started_at', 'ended_at'])
		.where('board_id', '=', boardId)
		.where('ended_at', 'is', null)
		.executeTakeFirst();
	return row ? toDto(row) : null;
}

/**
 * Starts the board's stand-up, or answers the one already open (`started: false`). The insert
 * does nothing when another open one exists, so concurrent starts converge on one row.
 */
export async function startStandup(
	db: Kysely<Database>,
	boardId: string,
	userId: string,
	now = new Date()
): Promise<{ standup: StandupDto; started: boolean }> {
	const inserted = await db
		.insertInto('standups')
		.values({ id: newId('stu'), board_id: boardId, started_by: userId, started_at: now })
		.onConflict((oc) => oc.column('board_id').where('ended_at', 'is', null).doNothing())
		.returning(['id', 'started_at', 'ended_at'])
		.executeTakeFirst();
	if (inserted) return { standup: toDto(inserted), started: true };
	const open = await getOpenStandup(db, boardId);
	if (!open) throw new Error('a stand-up was open a moment ago and is gone');
	return { standup: open, started: false };
}

/** When the previous meeting ended (null: this board never had one). */
export async function lastStandupEnd(db: Kysely<Database>, boardId: string): Promise<Date | null> {
	const row = await db
		.selectFrom('standups')
		.select('ended_at')
		.where('board_id', '=', boardId)
		.where('ended_at', 'is not', null)
		.orderBy('ended_at', 'desc')
		.limit(1)
		.executeTakeFirst();
	return row?.ended_at ?? null;
}

/** Every recorded stage change of the board's cards in (since, until], oldest first. */
export async function listMovesBetween(
	db: Kysely<Database>,
	boardId: string,
	since: Date,
	until: Date | null = null
): Promise<StageMoveDto[]> {
	let query = db
		.selectFrom('card_events')
		.leftJoin('cards', (join) =>
			join
				.onRef('cards.board_id', '=', 'card_events.board_id')
				.onRef('cards.id', '=', 'card_events.card_id')
		)
		.leftJoin('users', 'users.id', 'card_events.by_user_id')
		.select([
			'card_events.card_id',
			'card_events.from_stage',
			'card_events.to_stage',
			'card_events.at',
			'cards.title',
			'users.name as by_name'
		])
		.where('card_events.board_id', '=', boardId)
		.where('card_events.at', '>', since)
		// A card's creation is an event without a "from": it is a new card, not a move.
		.where('card_events.from_stage', 'is not', null);
	if (until) query = query.where('card_events.at', '<=', until);
	const rows = await query
		.orderBy('card_events.at')
		.orderBy('card_events.id')
		.limit(1000)
		.execute();
	return rows.flatMap((row) =>
		isStage(row.to_stage)
			? [
					{
						cardId: row.card_id,
						title: row.title ?? '',
						from: isStage(row.from_stage) ? row.from_stage : null,
						to: row.to_stage,
						at: row.at.toISOString(),
						byName: row.by_name
					}
				]
			: []
	);
}

/** Ends the open stand-up with its summary; false when none is open (someone ended it first). */
export async function endStandup(
	db: Kysely<Database>,
	boardId: string,
	standupId: string,
	report: StandupReport,
	now = new Date()
): Promise<boolean> {
	return db.transaction().execute(async (tx) => {
		const open = await tx
			.selectFrom('standups')
			.select(['id', 'started_at'])
			.where('id', '=', standupId)
			.where('board_id', '=', boardId)
			.where('ended_at', 'is', null)
			.forUpdate()
			.executeTakeFirst();
		if (!open) return false;
		const moves = await listMovesBetween(tx, boardId, open.started_at, now);
		const summary: StandupSummary = { ...report, moves };
		await tx
			.updateTable('standups')
			.set({ ended_at: now, summary: JSON.stringify(summary) })
			.where('id', '=', standupId)
			.execute();
		return true;
	});
}

const SummarySchema = v.object({
	...StandupReportSchema.entries,
	moves: v.array(
		v.object({
			cardId: v.string(),
			title: v.string(),
			from: v.nullable(v.picklist(STAGES)),
			to: v.picklist(STAGES),
			at: v.string(),
			byName: v.nullable(v.string())
		})
	)
});

/** The board's ended stand-ups, newest first, with their summaries. */
export async function listStandupSummaries(
	db: Kysely<Database>,
	boardId: string,
	limit = 50
): Promise<StandupSummaryDto[]> {
	const rows = await db
		.selectFrom('standups')
		.leftJoin('users', 'users.id', 'standups.started_by')
		.select([
			'standups.id',
			'standups.started_at',
			'standups.ended_at',
			'standups.summary',
			'users.name as started_by_name'
		])
		.where('standups.board_id', '=', boardId)
		.where('standups.ended_at', 'is not', null)
		.orderBy('standups.started_at', 'desc')
		.limit(limit)
		.execute();
	return rows.map((row) => {
		// pg parses jsonb itself; a string would mean a driver that does not.
		const parsed = v.safeParse(SummarySchema, parseJson(row.summary));
		return {
			...toDto(row),
			startedByName: row.started_by_name,
			summary: parsed.success ? parsed.output : null
		};
	});
}

function parseJson(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value);
	} catch {
		return null;
	}
}
