/**
 * Boards as rows: which boards a team has, and their names. The board's content lives in its Yjs
 * document (src/lib/board, server/sync); nothing here touches it.
 */
import type { Kysely } from 'kysely';
import type { Database } from './db/schema';
import { newId } from './id';

export interface BoardRow {
	id: string;
	name: string;
	teamId: string;
}

export async function createBoard(
	db: Kysely<Database>,
	input: { teamId: string; name: string }
): Promise<{ boardId: string }> {
	const boardId = newId('brd');
	await db
		.insertInto('boards')
		.values({ id: boardId, team_id: input.teamId, name: input.name.trim() })
		.execute();
	return { boardId };
}

/** The boards of these teams, by name. Callers pass only teams the person may see. */
export async function listBoardsOfTeams(
	db: Kysely<Database>,
	teamIds: readonly string[]
): Promise<BoardRow[]> {
	if (teamIds.length === 0) return [];
	const rows = await db
		.selectFrom('boards')
		.select(['id', 'name', 'team_id'])
		.where('team_id', 'in', teamIds)
		.orderBy('name')
		.orderBy('created_at')
		.execute();
	return rows.map((r) => ({ id: r.id, name: r.name, teamId: r.team_id }));
}

export async function renameBoard(
	db: Kysely<Database>,
	boardId: string,
	name: string
): Promise<{ ok: true } | { ok: false; reason: 'not_found' }> {
	const result = await db
		.updateTable('boards')
		.set({ name: name.trim() })
		.where('id', '=', boardId)
		.executeTakeFirst();
	return result.numUpdatedRows > 0n ? { ok: true } : { ok: false, reason: 'not_found' };
}
