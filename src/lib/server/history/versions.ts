/**
 * A board's history: points in time whose whole document can be previewed and restored (issue 13,
 * "board history"). The update log is folded and deleted by compaction (board-store.ts), so the
 * points keep what restoring needs: the document then, as one gzip'd Yjs update. Points are made
 * at the first change of each hour of activity and at each compaction (server/sync via keeper.ts),
 * and by a manager who names one; all are kept 90 days.
 *
 * Restoring is a change on top (restore.ts): nothing here is ever rewritten. Framework-free.
 */
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { Kysely } from 'kysely';
import * as Y from 'yjs';
import { readColumns, type CardView } from '../../board/document';
import { STAGES } from '../../board/stages';
import type { Database } from '../db/schema';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export const VERSION_KINDS = ['hourly', 'compaction', 'named', 'restore'] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];
export const VERSION_RETENTION_DAYS = 90;
export const VERSION_NAME_MAX = 120;

export interface NewVersion {
	boardId: string;
	kind: VersionKind;
	name?: string | null;
	createdBy?: string | null;
	activeUserIds?: readonly string[];
	cardsChanged?: number;
	/** The document at this point, encoded whole (Y.encodeStateAsUpdate). */
	state: Uint8Array;
	/**
	 * The cards the state holds, counted by the caller, who has the document: decoding the state
	 * again only to count its cards stalled the sync server's event loop 100–170 ms (S4).
	 */
	cardCount: number;
}

export interface VersionSummary {
	id: string;
	kind: VersionKind;
	name: string | null;
	createdAt: Date;
	createdByName: string | null;
	activeNames: string[];
	cardsChanged: number;
	cardCount: number;
}

export async function recordVersion(db: Kysely<Database>, version: NewVersion): Promise<string> {
	const state = await gzipAsync(version.state);
	const row = await db
		.insertInto('board_versions')
		.values({
			board_id: version.boardId,
			kind: version.kind,
			name: version.name ?? null,
			// A person deleted meanwhile leaves the point anonymous, not failing.
			created_by: version.createdBy
				? db.selectFrom('users').select('id').where('id', '=', version.createdBy)
				: null,
			active_user_ids: [...(version.activeUserIds ?? [])],
			cards_changed: version.cardsChanged ?? 0,
			card_count: version.cardCount,
			state
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return String(row.id);
}

/** Points older than the retention period go (called when the list is read and on each record). */
export async function pruneVersions(db: Kysely<Database>, boardId: string, now = Date.now()) {
	const cutoff = new Date(now - VERSION_RETENTION_DAYS * 86_400_000);
	await db
		.deleteFrom('board_versions')
		.where('board_id', '=', boardId)
		.where('created_at', '<', cutoff)
		.execute();
}

/** Newest first, with the names of whoever made it and whoever was active. */
export async function listVersions(
	db: Kysely<Database>,
	boardId: string,
	limit = 200
): Promise<VersionSummary[]> {
	await pruneVersions(db, boardId);
	const rows = await db
		.selectFrom('board_versions')
		.leftJoin('users', 'users.id', 'board_versions.created_by')
		.select([
			'board_versions.id',
			'board_versions.kind',
			'board_versions.name',
			'board_versions.created_at',
			'board_versions.active_user_ids',
			'board_versions.cards_changed',
			'board_versions.card_count',
			'users.name as created_by_name'
		])
		.where('board_versions.board_id', '=', boardId)
		.orderBy('board_versions.created_at', 'desc')
		.orderBy('board_versions.id', 'desc')
		.limit(limit)
		.execute();
	const userIds = [...new Set(rows.flatMap((row) => row.active_user_ids))];
	const names = new Map<string, string>();
	if (userIds.length > 0) {
		const people = await db
			.selectFrom('users')
			.select(['id', 'name'])
			.where('id', 'in', userIds)
			.execute();
		for (const person of people) names.set(person.id, person.name);
	}
	return rows.map((row) => ({
		id: String(row.id),
		kind: (VERSION_KINDS as readonly string[]).includes(row.kind)
			? (row.kind as VersionKind)
			: 'hourly',
		name: row.name,
		createdAt: row.created_at,
		createdByName: row.created_by_name,
		activeNames: row.active_user_ids.flatMap((id) => {
			const name = names.get(id);
			return name ? [name] : [];
		}),
		cardsChanged: row.cards_changed,
		cardCount: row.card_count
	}));
}

/** The document of one point of THIS board (null when the id is not one of its points). */
export async function loadVersionState(
	db: Kysely<Database>,
	boardId: string,
	versionId: string
): Promise<Uint8Array | null> {
	if (!/^[0-9]{1,18}$/.test(versionId)) return null;
	const row = await db
		.selectFrom('board_versions')
		.select('state')
		.where('board_id', '=', boardId)
		.where('id', '=', versionId)
		.executeTakeFirst();
	return row ? new Uint8Array(await gunzipAsync(row.state)) : null;
}

/** A read-only view of a point's cards, in board order. */
export async function previewVersion(
	db: Kysely<Database>,
	boardId: string,
	versionId: string
): Promise<CardView[] | null> {
	const state = await loadVersionState(db, boardId, versionId);
	if (!state) return null;
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, state);
		const columns = readColumns(doc);
		return STAGES.flatMap((stage) => columns[stage]);
	} finally {
		doc.destroy();
	}
}
