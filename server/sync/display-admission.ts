/**
 * Admission of a stand-up room's TV (a display link, src/lib/server/display-link.ts): a viewer of
 * its one board, never an editor, never another board. admission.ts asks here only when the
 * upgrade carries no valid personal session.
 */
import type { IncomingMessage } from 'node:http';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import {
	DISPLAY_COOKIE,
	displaySessionId,
	getActiveDisplayLink,
	linkIdOfDisplaySession,
	validateDisplayToken
} from '../../src/lib/server/display-link';
import { readCookie } from '../../src/lib/server/session';
import { CloseCode } from '../../src/lib/sync/protocol';
import type { Admitted, Recheck, Refused } from './admission';

/** Revoked and forged tokens are "not signed in": the TV shows the way to sign in again. */
const notSignedIn: Refused = {
	ok: false,
	code: CloseCode.unauthenticated,
	reason: 'display link not valid'
};
/** A display of another board learns nothing about this one (as for another organisation). */
const otherBoard: Refused = { ok: false, code: CloseCode.noSuchBoard, reason: 'no such board' };
const revoked: Refused = { ok: false, code: CloseCode.forbidden, reason: 'display link revoked' };

/** Null when the upgrade carries no display cookie at all (then it is simply not signed in). */
export async function admitDisplay(
	db: Kysely<Database>,
	request: IncomingMessage,
	boardId: string
): Promise<Admitted | Refused | null> {
	const token = readCookie(request.headers.cookie, DISPLAY_COOKIE);
	if (!token) return null;
	const display = await validateDisplayToken(db, token);
	if (!display) return notSignedIn;
	if (display.boardId !== boardId) return otherBoard;
	return {
		ok: true,
		boardId,
		teamId: display.teamId,
		userId: displaySessionId(display.linkId),
		userName: display.label,
		sessionId: displaySessionId(display.linkId),
		role: 'viewer',
		canEdit: false
	};
}

/** For admission.ts's recheckAccess: null when the connection is a person's, not a display's. */
export async function recheckDisplay(
	db: Kysely<Database>,
	connection: { sessionId: string; boardId: string }
): Promise<Recheck | null> {
	const linkId = linkIdOfDisplaySession(connection.sessionId);
	if (!linkId) return null;
	const display = await getActiveDisplayLink(db, linkId);
	// Revoked while the TV was watching: the permanent "no access" close.
	if (!display || display.boardId !== connection.boardId) return revoked;
	return { ok: true, role: 'viewer', canEdit: false };
}
