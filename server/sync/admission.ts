/**
 * Admission of a websocket upgrade to /sync/<board>: Origin, session, board membership, role.
 * The answer is a result, not an exception; a refusal is delivered by completing the upgrade and
 * closing with a permanent 44xx code, because y-websocket retries a failed HTTP upgrade forever.
 */
import type { IncomingMessage } from 'node:http';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { getBoardAccess } from '../../src/lib/server/access';
import { readCookie, SESSION_COOKIE, validateSessionToken } from '../../src/lib/server/session';
import { canEditBoard, type Role } from '../../src/lib/roles';
import { boardIdFromSyncPath, CloseCode } from '../../src/lib/sync/protocol';

export interface Admitted {
	ok: true;
	boardId: string;
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

export async function admitUpgrade(
	db: Kysely<Database>,
	request: IncomingMessage,
	configuredOrigin: string | undefined
): Promise<Admitted | Refused> {
	const url = new URL(request.url ?? '/', 'http://localhost');
	const boardId = boardIdFromSyncPath(url.pathname);
	if (!boardId) return { ok: false, code: CloseCode.noSuchBoard, reason: 'no such board' };
	if (!isAllowedOrigin(request, configuredOrigin)) {
		return { ok: false, code: CloseCode.forbidden, reason: 'origin not allowed' };
	}
	const token = readCookie(request.headers.cookie, SESSION_COOKIE);
	const { session, user } = await validateSessionToken(db, token);
	if (!session) return { ok: false, code: CloseCode.unauthenticated, reason: 'not signed in' };
	const access = await getBoardAccess(db, user, boardId);
	if (!access) return { ok: false, code: CloseCode.noSuchBoard, reason: 'no such board' };
	return {
		ok: true,
		boardId,
		userId: user.id,
		userName: user.name,
		sessionId: session.id,
		role: access.role,
		canEdit: canEditBoard(access.role)
	};
}
