/**
 * How access changes reach open board sockets. Code that changes who may do what (a role change,
 * a member removed, sign-out, a password change ending other sessions, a board deleted) calls
 * `notifyAccessChanged` after its write commits; every sync server in the process re-checks the
 * matching connections at once: a demoted editor reconnects as a viewer, a removed member is
 * closed with 4403, an ended session with 4401. A periodic re-check is the backstop for any call
 * that was forgotten.
 *
 * Why globalThis: SvelteKit's bundle and the server entry's bundle each have their own copy of
 * this module (see runtime.ts); a well-known Symbol lets both reach the same listeners.
 * Framework-free.
 */

/**
 * Which connections to re-check: every field given must match (AND); an empty object re-checks
 * every connection. Examples: `{ userId, teamId }` after a role change or removal in one team;
 * `{ sessionId }` after sign-out; `{ userId }` after a password change; `{ teamId }` after a team
 * is deleted; `{ boardId }` after a board is deleted.
 */
export interface AccessChange {
	userId?: string;
	teamId?: string;
	sessionId?: string;
	boardId?: string;
}

export type AccessChangeListener = (change: AccessChange) => Promise<void>;

const LISTENERS_KEY = Symbol.for('tillit.sync.access-change-listeners');
type Holder = { [LISTENERS_KEY]?: Set<AccessChangeListener> };

function listeners(): Set<AccessChangeListener> {
	const holder = globalThis as Holder;
	holder[LISTENERS_KEY] ??= new Set();
	return holder[LISTENERS_KEY];
}

/**
 * Re-checks the matching open sockets; resolves when they have been re-checked (closed or
 * switched). Never rejects: a failed re-check is logged by the sync server and the periodic
 * re-check tries again, so callers need no error handling.
 */
export async function notifyAccessChanged(change: AccessChange): Promise<void> {
	await Promise.all(
		[...listeners()].map((listener) =>
			listener(change).catch(() => {
				// The listener logs its own failures; a caller's action must not fail because of it.
			})
		)
	);
}

/** Used by each sync server; returns the function that unregisters it. */
export function onAccessChanged(listener: AccessChangeListener): () => void {
	listeners().add(listener);
	return () => {
		listeners().delete(listener);
	};
}

/** True when a connection with these facts is covered by `change`. */
export function accessChangeMatches(
	change: AccessChange,
	connection: { userId: string; teamId: string; sessionId: string; boardId: string }
): boolean {
	return (
		(change.userId === undefined || change.userId === connection.userId) &&
		(change.teamId === undefined || change.teamId === connection.teamId) &&
		(change.sessionId === undefined || change.sessionId === connection.sessionId) &&
		(change.boardId === undefined || change.boardId === connection.boardId)
	);
}
