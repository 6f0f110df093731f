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
	serverRestart: { code: CloseCode.serviceRestart, reason: 'server restarting' }
} as const satisfies Record<string, CloseReason | ((detail: string) => CloseReason)>;
