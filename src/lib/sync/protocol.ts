/**
 * The sync wire protocol's shared constants (client and server). y-websocket's own message types
 * are 0 (sync) and 1 (awareness); Tillit adds its own above them.
 */
export const SYNC_PATH_PREFIX = '/sync/';

export const MessageType = {
	sync: 0,
	awareness: 1,
	/** Server → client: every update this client sent up to now is committed to the database. */
	persisted: 100
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/**
 * Close codes. y-websocket 3.1 treats 4400–4499 as permanent (it stops reconnecting); every other
 * code makes it retry. So refusals that retrying cannot fix use 44xx, and overload uses 1013.
 */
export const CloseCode = {
	normal: 1000,
	goingAway: 1001,
	/** Overloaded or slow consumer: transient, the client retries later. */
	tryAgainLater: 1013,
	serviceRestart: 1012,
	badMessage: 4400,
	unauthenticated: 4401,
	forbidden: 4403,
	noSuchBoard: 4404,
	messageTooLarge: 4413,
	tooManyRequests: 4429
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

export function boardIdFromSyncPath(pathname: string): string | null {
	if (!pathname.startsWith(SYNC_PATH_PREFIX)) return null;
	const id = pathname.slice(SYNC_PATH_PREFIX.length);
	return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null;
}
