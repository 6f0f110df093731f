/**
 * Display links: a stand-up room's TV signs in with a link a manager made for ONE board, without
 * a personal account. Like a session, the token lives only in the link and in the TV's HttpOnly
 * cookie; the database keeps its SHA-256. The principal it yields is a viewer of that board and
 * nothing else: it is never a `SessionUser`, so every guard that asks for a person refuses it.
 *
 * Sync connections of a display carry `displaySessionId(linkId)` as their session id, so
 * `notifyAccessChanged({ sessionId })` reaches exactly the sockets of one link when it is revoked.
 * Framework-free (the sync server imports it).
 */
import type { Kysely } from 'kysely';
import type { Database } from './db/schema';
import { newId } from './id';
import { generateRandomToken, hashToken } from './session';

export const DISPLAY_COOKIE = 'tillit_display';
/** The cookie outlives TV browser restarts; revoking the link is what ends it. */
export const DISPLAY_COOKIE_LIFETIME_MS = 400 * 24 * 60 * 60 * 1000;
export const DISPLAY_LABEL_MAX = 80;
const DISPLAY_SESSION_PREFIX = 'display:';

export interface DisplayPrincipal {
	linkId: string;
	boardId: string;
	teamId: string;
	label: string;
}

export interface DisplayLinkDto {
	id: string;
	label: string;
	createdAt: string;
	createdByName: string | null;
}

export function displaySessionId(linkId: string): string {
	return DISPLAY_SESSION_PREFIX + linkId;
}

/** The link id behind a sync connection's session id, or null for a person's session. */
export function linkIdOfDisplaySession(sessionId: string): string | null {
	return sessionId.startsWith(DISPLAY_SESSION_PREFIX)
		? sessionId.slice(DISPLAY_SESSION_PREFIX.length)
		: null;
}

export async function createDisplayLink(
	db: Kysely<Database>,
	input: { boardId: string; createdBy: string; label: string }
): Promise<{ id: string; token: string }> {
	const token = generateRandomToken();
	const id = newId('dsp');
	await db
		.insertInto('display_links')
		.values({
			id,
			token_hash: hashToken(token),
			board_id: input.boardId,
			created_by: input.createdBy,
			label: input.label.trim().slice(0, DISPLAY_LABEL_MAX)
		})
		.execute();
	return { id, token };
}

/** Revokes one link of this board; false when there is no such active link. */
export async function revokeDisplayLink(
	db: Kysely<Database>,
	boardId: string,
	linkId: string,
	now = new Date()
): Promise<boolean> {
	const result = await db
		.updateTable('display_links')
		.set({ revoked_at: now })
		.where('id', '=', linkId)
		.where('board_id', '=', boardId)
		.where('revoked_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) > 0;
}

export async function listDisplayLinks(
	db: Kysely<Database>,
	boardId: string
): Promise<DisplayLinkDto[]> {
	const rows = await db
		.selectFrom('display_links')
		.leftJoin('users', 'users.id', 'display_links.created_by')
		.select([
			'display_links.id',
			'display_links.label',
			'display_links.created_at',
			'users.name as created_by_name'
		])
		.where('display_links.board_id', '=', boardId)
		.where('display_links.revoked_at', 'is', null)
		.orderBy('display_links.created_at')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		label: r.label,
		createdAt: r.created_at.toISOString(),
		createdByName: r.created_by_name
	}));
}

const principalColumns = [
	'display_links.id',
	'display_links.board_id',
	'display_links.label',
	'boards.team_id'
] as const;

/** The principal of a display token; null when it is malformed, unknown or revoked. */
export async function validateDisplayToken(
	db: Kysely<Database>,
	token: string | null | undefined
): Promise<DisplayPrincipal | null> {
	if (!token || !/^[a-z2-7]{32}$/.test(token)) return null;
	const row = await db
		.selectFrom('display_links')
		.innerJoin('boards', 'boards.id', 'display_links.board_id')
		.select(principalColumns)
		.where('display_links.token_hash', '=', hashToken(token))
		.where('display_links.revoked_at', 'is', null)
		.executeTakeFirst();
	return row
		? { linkId: row.id, boardId: row.board_id, teamId: row.team_id, label: row.label }
		: null;
}

/** The same check by link id, for open sockets (which keep no token). */
export async function getActiveDisplayLink(
	db: Kysely<Database>,
	linkId: string
): Promise<DisplayPrincipal | null> {
	const row = await db
		.selectFrom('display_links')
		.innerJoin('boards', 'boards.id', 'display_links.board_id')
		.select(principalColumns)
		.where('display_links.id', '=', linkId)
		.where('display_links.revoked_at', 'is', null)
		.executeTakeFirst();
	return row
		? { linkId: row.id, boardId: row.board_id, teamId: row.team_id, label: row.label }
		: null;
}
