/**
 * A board's trash (issue 13): a card deleted from the document is kept here with who deleted it
 * and when, for 30 days. Members put back their own deletions, managers anyone's. Putting back is
 * an ordinary edit of the live document (board-edit.ts): the card returns under its own id, so its
 * stage events — which deletion never touches — belong to it again, and its projection row is
 * revived by the same commit. Framework-free.
 */
import type { Kysely } from 'kysely';
import { cardsMap } from '../board/document';
import { parseCardNode, titleOf, writeCard, type CardNode } from '../board/card-copy';
import { roleAtLeast, type Role } from '../roles';
import { editBoardDocument } from './board-edit';
import type { Database } from './db/schema';

export const TRASH_RETENTION_DAYS = 30;

export interface TrashEntry {
	id: string;
	cardId: string;
	title: string;
	deletedAt: Date;
	deletedById: string | null;
	deletedByName: string | null;
}

export type TrashRestoreOutcome =
	| { ok: true; cardId: string }
	| { ok: false; reason: 'not_found' | 'forbidden' | 'card_exists' | 'no_board' };

export async function recordTrash(
	db: Kysely<Database>,
	boardId: string,
	deletedBy: string | null,
	cards: readonly { id: string; copy: CardNode }[]
): Promise<void> {
	if (cards.length === 0) return;
	await db
		.insertInto('card_trash')
		.values(
			cards.map((card) => ({
				board_id: boardId,
				card_id: card.id,
				title: titleOf(card.copy).slice(0, 400),
				content: JSON.stringify(card.copy),
				deleted_by: deletedBy
					? db.selectFrom('users').select('id').where('id', '=', deletedBy)
					: null
			}))
		)
		.execute();
}

function cutoff(now: number): Date {
	return new Date(now - TRASH_RETENTION_DAYS * 86_400_000);
}

/** What is in the board's trash now, newest first; entries past 30 days are removed. */
export async function listTrash(
	db: Kysely<Database>,
	boardId: string,
	now = Date.now()
): Promise<TrashEntry[]> {
	await db
		.deleteFrom('card_trash')
		.where('board_id', '=', boardId)
		.where('deleted_at', '<', cutoff(now))
		.execute();
	const rows = await db
		.selectFrom('card_trash')
		.leftJoin('users', 'users.id', 'card_trash.deleted_by')
		.select([
			'card_trash.id',
			'card_trash.card_id',
			'card_trash.title',
			'card_trash.deleted_at',
			'card_trash.deleted_by',
			'users.name as deleted_by_name'
		])
		.where('card_trash.board_id', '=', boardId)
		.where('card_trash.restored_at', 'is', null)
		.orderBy('card_trash.deleted_at', 'desc')
		.orderBy('card_trash.id', 'desc')
		.limit(500)
		.execute();
	return rows.map((row) => ({
		id: String(row.id),
		cardId: row.card_id,
		title: row.title,
		deletedAt: row.deleted_at,
		deletedById: row.deleted_by,
		deletedByName: row.deleted_by_name
	}));
}

/** Members may put back what they deleted themselves; managers and admins anything. */
export function mayRestoreFromTrash(role: Role, userId: string, deletedBy: string | null): boolean {
	if (roleAtLeast(role, 'manager')) return true;
	return roleAtLeast(role, 'member') && deletedBy === userId;
}

export async function restoreFromTrash(
	db: Kysely<Database>,
	input: { boardId: string; trashId: string; userId: string; role: Role; now?: number }
): Promise<TrashRestoreOutcome> {
	if (!/^[0-9]{1,18}$/.test(input.trashId)) return { ok: false, reason: 'not_found' };
	const row = await db
		.selectFrom('card_trash')
		.select(['id', 'card_id', 'content', 'deleted_by', 'deleted_at'])
		.where('board_id', '=', input.boardId)
		.where('id', '=', input.trashId)
		.where('restored_at', 'is', null)
		.where('deleted_at', '>=', cutoff(input.now ?? Date.now()))
		.executeTakeFirst();
	if (!row) return { ok: false, reason: 'not_found' };
	if (!mayRestoreFromTrash(input.role, input.userId, row.deleted_by)) {
		return { ok: false, reason: 'forbidden' };
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(row.content);
	} catch {
		return { ok: false, reason: 'not_found' };
	}
	const copy = parseCardNode(parsed);
	if (!copy) return { ok: false, reason: 'not_found' };
	const edited = await editBoardDocument(db, input.boardId, { userId: input.userId }, (doc) => {
		if (cardsMap(doc).has(row.card_id)) return false;
		writeCard(doc, row.card_id, copy);
		return true;
	});
	if (!edited.ok) return { ok: false, reason: 'no_board' };
	if (!edited.value) return { ok: false, reason: 'card_exists' };
	await db
		.updateTable('card_trash')
		.set({ restored_at: new Date() })
		.where('id', '=', row.id)
		.execute();
	return { ok: true, cardId: row.card_id };
}
