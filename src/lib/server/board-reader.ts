/**
 * Who may READ a board page that a stand-up room's TV also opens (the stand-up screen, photos):
 * a person of the board's team, or a display link of exactly this board. Every other page keeps
 * asking for a person (guards.ts), so a display never reaches them; and a display is always a
 * viewer, so nothing it sends can write.
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getBoardAccess, type BoardAccess } from './access';
import { displaySessionId, type DisplayPrincipal } from './display-link';
import { signInUrl } from './guards';
import { isWellFormedId } from './id';
import type { SessionUser } from './session';

export type BoardReader =
	| { kind: 'person'; user: SessionUser; access: BoardAccess }
	| { kind: 'display'; display: DisplayPrincipal; access: BoardAccess };

type ReaderEvent = Pick<RequestEvent, 'locals' | 'url'>;

export async function requireBoardReader(
	event: ReaderEvent,
	boardId: string
): Promise<BoardReader> {
	if (!isWellFormedId(boardId)) error(404, m.error_not_found());
	const { user, display } = event.locals;
	const db = event.locals.runtime.database.db;
	if (user) {
		const access = await getBoardAccess(db, user, boardId);
		if (!access) error(404, m.error_not_found());
		return { kind: 'person', user, access };
	}
	if (!display) redirect(303, signInUrl(event.url));
	if (display.boardId !== boardId) error(404, m.error_not_found());
	const board = await db
		.selectFrom('boards')
		.innerJoin('teams', 'teams.id', 'boards.team_id')
		.select(['boards.name as board_name', 'teams.name as team_name'])
		.where('boards.id', '=', boardId)
		.executeTakeFirst();
	if (!board) error(404, m.error_not_found());
	return {
		kind: 'display',
		display,
		access: {
			boardId,
			boardName: board.board_name,
			teamId: display.teamId,
			teamName: board.team_name,
			role: 'viewer'
		}
	};
}

/** The reader's identity on the board's socket and in its local copy. */
export function readerIdentity(reader: BoardReader): { id: string; name: string } {
	return reader.kind === 'person'
		? { id: reader.user.id, name: reader.user.name }
		: { id: displaySessionId(reader.display.linkId), name: reader.display.label };
}
