/**
 * Admission of a websocket upgrade to /sync/<board>: Origin, session, board membership, role.
 * The answer is a result, not an exception; a refusal is delivered by completing the upgrade and
 * closing with a permanent 44xx code, because y-websocket retries a failed HTTP upgrade forever.
 * The same decision runs again for open sockets (recheckAccess) when access may have changed.
 */
import type { IncomingMessage } from 'node:http';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { getBoardAccess, type Actor } from '../../src/lib/server/access';
import { readCookie, SESSION_COOKIE, validateSessionToken } from '../../src/lib/server/session';
import { canEditBoard, type Role } from '../../src/lib/roles';
import { boardIdFromSyncPath, CloseCode } from '../../src/lib/sync/protocol';
import { admitDisplay, recheckDisplay } from './display-admission';

export interface Admitted {
	ok: true;
	boardId: string;
	teamId: string;
	userId: string;
	userName: string;
	sessionId: string;
	role: Role;
	canEdit: boolean;
}

export interface Refused {
	ok: false;
	code: CloseCode;
	reason: string;
}

/** Origins allowed to open a socket: the configured ORIGIN, else the request's own host. */
export function isAllowedOrigin(
	request: IncomingMessage,
	configuredOrigin: string | undefined
): boolean {
	const origin = request.headers.origin;
	if (!origin) return false;
	if (configuredOrigin) return origin === configuredOrigin;
	const host = request.headers.host;
	return !!host && (origin === `http://${host}` || origin === `https://${host}`);
}

const unauthenticated: Refused = {
	ok: false,
	code: CloseCode.unauthenticated,
	reason: 'not signed in'
};
const noSuchBoard: Refused = { ok: false, code: CloseCode.noSuchBoard, reason: 'no such board' };
const notAMember: Refused = { ok: false, code: CloseCode.forbidden, reason: 'no access' };

/**
 * The board part of the decision. A board of the actor's own organisation that they may not see
 * answers 4403 (the client says "you have no access", not "it does not exist"); a board of another
 * organisation answers 4404 like a missing one, so ids cannot be probed across organisations.
 */
async function decideBoard(
	db: Kysely<Database>,
	actor: Actor,
	boardId: string
): Promise<{ ok: true; teamId: string; role: Role } | Refused> {
	const access = await getBoardAccess(db, actor, boardId);
	if (access) return { ok: true, teamId: access.teamId, role: access.role };
	const inOrganisation = await db
		.selectFrom('boards')
		.innerJoin('teams', 'teams.id', 'boards.team_id')
		.select('boards.id')
		.where('boards.id', '=', boardId)
		.where('teams.organisation_id', '=', actor.organisationId)
		.executeTakeFirst();
	return inOrganisation ? notAMember : noSuchBoard;
}

export async function admitUpgrade(
	db: Kysely<Database>,
	request: IncomingMessage,
	configuredOrigin: string | undefined
): Promise<Admitted | Refused> {
	const url = new URL(request.url ?? '/', 'http://localhost');
	const boardId = boardIdFromSyncPath(url.pathname);
	if (!boardId) return noSuchBoard;
	if (!isAllowedOrigin(request, configuredOrigin)) {
		return { ok: false, code: CloseCode.forbidden, reason: 'origin not allowed' };
	}
	const token = readCookie(request.headers.cookie, SESSION_COOKIE);
	const { session, user } = await validateSessionToken(db, token);
	// Without a person's session, a stand-up room's TV may still be a viewer of its one board.
	if (!session) return (await admitDisplay(db, request, boardId)) ?? unauthenticated;
	const board = await decideBoard(db, user, boardId);
	if (!board.ok) return board;
	return {
		ok: true,
		boardId,
		teamId: board.teamId,
		userId: user.id,
		userName: user.name,
		sessionId: session.id,
		role: board.role,
		canEdit: canEditBoard(board.role)
	};
}

export type Recheck = { ok: true; role: Role; canEdit: boolean } | Refused;

/**
 * Is this open socket's session still valid and its user still allowed on the board? Reads the
 * session by id (the socket has no token) and does not slide its expiry: only page requests do.
 */
export async function recheckAccess(
	db: Kysely<Database>,
	connection: { sessionId: string; userId: string; boardId: string },
	now = new Date()
): Promise<Recheck> {
	const display = await recheckDisplay(db, connection);
	if (display) return display;
	const row = await db
		.selectFrom('sessions')
		.innerJoin('users', 'users.id', 'sessions.user_id')
		.select(['sessions.expires_at', 'users.organisation_id', 'users.is_org_admin'])
		.where('sessions.id', '=', connection.sessionId)
		.where('sessions.user_id', '=', connection.userId)
		.executeTakeFirst();
	if (!row || row.expires_at.getTime() <= now.getTime()) return unauthenticated;
	const board = await decideBoard(
		db,
		{ id: connection.userId, organisationId: row.organisation_id, isOrgAdmin: row.is_org_admin },
		connection.boardId
	);
	if (!board.ok) return board;
	return { ok: true, role: board.role, canEdit: canEditBoard(board.role) };
}
