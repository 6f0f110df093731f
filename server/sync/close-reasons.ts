/**
 * Why the server closes a connection: a typed code with a short reason for logs and devtools
 * (at most 123 bytes, the websocket limit). Users never see these strings; the client turns the
 * code into a message in their language.
 */
import { CloseCode } from '../../src/lib/sync/protocol';

export interface CloseReason {
	code: CloseCode;
	reason: string;
}

export const CloseReasons = {
	badMessage: (detail: string): CloseReason => ({
		code: CloseCode.badMessage,
		reason: `bad message: ${detail}`.slice(0, 120)
	}),
	messageTooLarge: { code: CloseCode.messageTooLarge, reason: 'message too large' },
	awarenessTooLarge: { code: CloseCode.messageTooLarge, reason: 'awareness state too large' },
	slowConsumer: { code: CloseCode.tryAgainLater, reason: 'not reading fast enough' },
	tooManyWhileLoading: { code: CloseCode.tryAgainLater, reason: 'too many messages while loading' },
	loadFailed: { code: CloseCode.tryAgainLater, reason: 'board could not be loaded' },
	internalError: { code: CloseCode.internalError, reason: 'internal error' },
	accessChanged: { code: CloseCode.accessChanged, reason: 'access changed, reconnect' },
	boardDeleted: { code: CloseCode.noSuchBoard, reason: 'board deleted' },
	serverRestart: { code: CloseCode.serviceRestart, reason: 'server restarting' },
	// The board's bounds (update-gate.ts, board-room.ts): permanent, a resend cannot pass them.
	unknownRoot: { code: CloseCode.badMessage, reason: 'bad message: unknown top-level type' },
	invalidCardId: { code: CloseCode.badMessage, reason: 'bad message: invalid card id' },
	tooManyCards: { code: CloseCode.messageTooLarge, reason: 'board has too many cards' },
	boardTooLarge: { code: CloseCode.messageTooLarge, reason: 'board document too large' },
	pendingTooLarge: {
		code: CloseCode.messageTooLarge,
		reason: 'too much history missing: updates the server cannot place'
	},
	/** Others' updates parked with the dropped history: reconnect and send them again. */
	pendingDropped: { code: CloseCode.tryAgainLater, reason: 'resend your unsaved edits' },
	// Per person (user-caps.ts): 4429, which our client retries only after a long pause.
	tooManyConnections: {
		code: CloseCode.tooManyRequests,
		reason: 'too many connections to this board'
	},
	awarenessFlood: { code: CloseCode.tooManyRequests, reason: 'presence updates too frequent' },
	// Presence (board-room.ts applyAwareness): a client id belongs to its first user.
	awarenessNotYours: {
		code: CloseCode.badMessage,
		reason: 'bad message: presence of another connection'
	}
} as const satisfies Record<string, CloseReason | ((detail: string) => CloseReason)>;
