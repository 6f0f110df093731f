/**
 * The sync wire protocol's shared constants (client and server). y-websocket's own message types
 * are 0 (sync) and 1 (awareness); Tillit adds its own above them.
 */
export const SYNC_PATH_PREFIX = '/sync/';

export const MessageType = {
	sync: 0,
	awareness: 1,
	/**
	 * Server → client, editors only. Payload: one varuint `n` = how many update-bearing messages
	 * (sync SyncStep2 + sync Update) this connection has sent whose effects are now committed to the
	 * database, counted from 1 per connection. Messages are acknowledged in order, and one that
	 * changed nothing (the server already had it) is acknowledged too, so `n` catches up with the
	 * client's own count of sent messages exactly when everything it sent is saved.
	 */
	persisted: 100,
	/**
	 * Server → client, once after the initial sync and again when the role changes without a
	 * reconnect. Payload: varstring role, varuint canEdit (1/0). A client that may not edit must
	 * not offer editing: the server drops every document write from it.
	 */
	access: 101,
	/**
	 * Server → the sender only, after the server undid a stage change of theirs that missed what the
	 * stage gate needs (the undo itself arrives as a normal sync update). Payload: varstring card
	 * id, varstring reason ('missing': no override reason given; 'not_allowed': an override from
	 * someone below manager), varuint count, then that many varstrings: the Missing codes
	 * (src/lib/board/lifecycle.ts). Clients that do not handle it lose nothing but the reason.
	 */
	moveRefused: 102,
	/**
	 * Server → the sender only, after the server put back the cards an update of theirs deleted at
	 * once (more than the mass-deletion guard lets a non-manager delete; history lane,
	 * src/lib/sync/deletion-refused.ts). Payload: varuint cards deleted, varuint the limit.
	 */
	deletionRefused: 110
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
	/** The server failed on its side (e.g. the board could not be loaded): transient. */
	internalError: 1011,
	/**
	 * Your rights on this board changed (e.g. an editor became a viewer): reconnect and be admitted
	 * again with the current role. Transient on purpose (outside 4400–4499), so the stock client
	 * reconnects by itself.
	 */
	accessChanged: 4100,
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
