/**
 * One client's socket on one board: the ONE place where the sync protocol is handled. Frames are
 * checked (binary, size), decoded into a ClientMessage union, then handled by kind; nothing in here
 * throws out of the socket's event handler. The room (document, broadcast, persistence) is reached
 * through the small BoardRoomPort interface.
 *
 * Lifecycle: `waiting` (admitted; the board is still loading, frames are held; once the stored
 * state is read, sendLoadedState sends access and that state, nothing else) → `open` (start():
 * access unless sent, SyncStep1, presence, then the held frames) → `closed`.
 */
import type * as Y from 'yjs';
import type { Logger } from '../../src/lib/server/log';
import type { Role } from '../../src/lib/roles';
import type { ChangeSource } from '../../src/lib/server/projection/stage-events';
import {
	decodeClientMessage,
	encodeAccess,
	encodePersisted,
	encodeSyncStep1,
	KEEPALIVE_MESSAGE,
	type ClientMessage
} from '../../src/lib/sync/messages';
import { TokenBucket } from './awareness-guard';
import { CloseReasons, type CloseReason } from './close-reasons';
import type { SyncServerOptions } from './options';
import type { SyncSocket } from './socket';

export interface ConnectionIdentity {
	boardId: string;
	teamId: string;
	userId: string;
	userName: string;
	sessionId: string;
	role: Role;
	canEdit: boolean;
}

/** A refusal closes the sender with its (permanent) code; nothing of the message was applied. */
export interface Refusal {
	refused: CloseReason;
}

export type UpdateOutcome = 'applied' | Refusal;

/** How long the window is in which more than `maxDroppedAwareness` drops close a connection. */
const AWARENESS_DROP_WINDOW_MS = 10_000;

/** What a connection needs from its room. */
export interface BoardRoomPort {
	readonly doc: Y.Doc;
	/**
	 * Applies an editor's update; `seq` is the message's number on this connection, for the
	 * persisted acknowledgement. 'malformed' when Yjs could not read it.
	 */
	applyClientUpdate(
		connection: BoardConnection,
		update: Uint8Array,
		source: ChangeSource,
		seq: number
	): UpdateOutcome;
	/**
	 * 'dropped': ignored (over the rate, or more client ids than a connection may speak for).
	 * `withinRate` is asked only for a message that would change someone's presence.
	 */
	applyAwareness(
		connection: BoardConnection,
		update: Uint8Array,
		withinRate: () => boolean
	): 'applied' | 'dropped' | Refusal;
	/**
	 * The messages answering a SyncStep1, SyncStep2 last (throws on an unreadable state vector).
	 * `holdsLoadedState`: this client was sent the stored state while the board loaded.
	 */
	encodeStateFor(stateVector: Uint8Array, holdsLoadedState: boolean): Uint8Array[];
	/** Everyone's presence as one awareness message, or null when nobody is there. */
	encodeAllAwareness(): Uint8Array | null;
	leave(connection: BoardConnection): void;
}

export class BoardConnection {
	readonly identity: ConnectionIdentity;
	/** Awareness client ids this connection speaks for (the room keeps them in step). */
	readonly awarenessClientIds = new Set<number>();

	#phase: 'waiting' | 'open' | 'closed' = 'waiting';
	/** Access and the stored state were sent while the board loaded (sendLoadedState). */
	#sentLoadedState = false;
	#waiting: Uint8Array[] = [];
	#waitingBytes = 0;
	readonly #socket: SyncSocket;
	readonly #room: BoardRoomPort;
	readonly #options: SyncServerOptions;
	readonly #log: Logger;
	readonly #awarenessBucket: TokenBucket;

	// The persisted acknowledgement: update-bearing messages are numbered 1, 2, … per connection;
	// `#unconfirmed` holds the numbers still waiting for a commit; the ack says "all up to n".
	#updatesReceived = 0;
	readonly #unconfirmed = new Set<number>();
	#acknowledged = 0;

	lastSentAt = performance.now();
	lastPingAt = performance.now();
	awaitingPong = false;
	lastValidatedAt = performance.now();
	droppedViewerWrites = 0;
	droppedAwareness = 0;
	#dropWindowStartedAt = 0;
	#dropsInWindow = 0;

	constructor(
		socket: SyncSocket,
		identity: ConnectionIdentity,
		room: BoardRoomPort,
		options: SyncServerOptions,
		log: Logger,
		/** Shared by all of this person's sockets on the board (user-caps.ts); own one if absent. */
		awarenessBucket?: TokenBucket
	) {
		this.#socket = socket;
		this.identity = { ...identity };
		this.#room = room;
		this.#options = options;
		this.#log = log;
		this.#awarenessBucket =
			awarenessBucket ?? new TokenBucket(options.awarenessPerSecond, options.awarenessBurst);
	}

	get isOpen(): boolean {
		return this.#phase === 'open';
	}

	get isClosed(): boolean {
		return this.#phase === 'closed';
	}

	/**
	 * The board's stored state, read but not yet applied: the client can show the board while the
	 * server finishes loading it (the answer to its SyncStep1 then carries only what is newer).
	 */
	sendLoadedState(messages: readonly Uint8Array[]): void {
		if (this.#phase !== 'waiting' || this.#sentLoadedState) return;
		this.#sentLoadedState = true;
		this.#write(encodeAccess(this.identity.role, this.identity.canEdit));
		for (const message of messages) this.#write(message);
	}

	/** The board is loaded: greet the client, then handle what it sent meanwhile. */
	start(): void {
		if (this.#phase !== 'waiting') return;
		this.#phase = 'open';
		if (!this.#sentLoadedState) this.send(encodeAccess(this.identity.role, this.identity.canEdit));
		// Only editors are asked for what the server lacks: a viewer's answer would be dropped.
		if (this.identity.canEdit) this.send(encodeSyncStep1(this.#room.doc));
		const presence = this.#room.encodeAllAwareness();
		if (presence) this.send(presence);
		const waiting = this.#waiting;
		this.#waiting = [];
		for (const frame of waiting) {
			if (this.#phase !== 'open') break;
			this.#handleFrame(frame);
		}
	}

	/** A frame from the socket. Checks that need no document happen even while waiting. */
	receive(data: Uint8Array, isBinary: boolean): void {
		if (this.#phase === 'closed') return;
		if (!isBinary) {
			this.close(CloseReasons.badMessage('text frame'));
			return;
		}
		if (data.byteLength > this.#options.maxMessageBytes) {
			this.close(CloseReasons.messageTooLarge);
			return;
		}
		if (this.#phase === 'waiting') {
			// Bounded in count and bytes: a client cannot make the server hold much for it while loading.
			this.#waitingBytes += data.byteLength;
			if (
				this.#waiting.length >= this.#options.maxWaitingMessages ||
				this.#waitingBytes > this.#options.maxMessageBytes + 64 * 1024
			) {
				this.close(CloseReasons.tooManyWhileLoading);
			} else {
				this.#waiting.push(data);
			}
			return;
		}
		this.#handleFrame(data);
	}

	#handleFrame(data: Uint8Array): void {
		try {
			const decoded = decodeClientMessage(data);
			if (!decoded.ok) {
				this.close(CloseReasons.badMessage(decoded.problem));
				return;
			}
			this.handleMessage(decoded.message);
		} catch (error) {
			// A bug of ours, not the client's: log it, and let the client retry on a fresh connection.
			this.#log.error(
				{ err: errorDetails(error), board: this.identity.boardId },
				'sync message failed'
			);
			this.close(CloseReasons.internalError);
		}
	}

	handleMessage(message: ClientMessage): void {
		switch (message.kind) {
			case 'sync-step1': {
				let reply: Uint8Array[];
				try {
					reply = this.#room.encodeStateFor(message.stateVector, this.#sentLoadedState);
				} catch {
					this.close(CloseReasons.badMessage('invalid state vector'));
					return;
				}
				for (const part of reply) this.send(part);
				return;
			}
			case 'sync-step2':
			case 'sync-update': {
				if (!this.identity.canEdit) {
					// A viewer's writes are never applied or stored; it still receives everyone else's.
					this.droppedViewerWrites++;
					return;
				}
				const seq = ++this.#updatesReceived;
				const source = message.kind === 'sync-step2' ? 'replayed' : 'live';
				const outcome = this.#room.applyClientUpdate(this, message.update, source, seq);
				if (outcome !== 'applied') {
					this.close(outcome.refused);
					return;
				}
				// An update that changed nothing is saved already: acknowledge it once all before it are.
				this.#sendAckIfAdvanced();
				return;
			}
			case 'awareness': {
				if (message.update.byteLength > this.#options.maxAwarenessBytes) {
					this.close(CloseReasons.awarenessTooLarge);
					return;
				}
				// Over the rate: dropped. Presence is renewed every 15 s, so nothing is lost for long. A
				// client that keeps sending far over the rate is not a browser tab: it is closed.
				const outcome = this.#room.applyAwareness(this, message.update, () =>
					this.#awarenessBucket.take()
				);
				if (outcome === 'dropped') this.#dropAwareness();
				else if (outcome !== 'applied') this.close(outcome.refused);
				return;
			}
			case 'query-awareness': {
				const presence = this.#room.encodeAllAwareness();
				if (presence) this.send(presence);
				return;
			}
			default: {
				const unreachable: never = message;
				return unreachable;
			}
		}
	}

	#dropAwareness(): void {
		this.droppedAwareness++;
		const now = performance.now();
		if (now - this.#dropWindowStartedAt > AWARENESS_DROP_WINDOW_MS) {
			this.#dropWindowStartedAt = now;
			this.#dropsInWindow = 0;
		}
		if (++this.#dropsInWindow > this.#options.maxDroppedAwareness) {
			this.close(CloseReasons.awarenessFlood);
		}
	}

	/** Message `seq` went into the write queue (or waits for missing history). */
	markUnconfirmed(seq: number): void {
		this.#unconfirmed.add(seq);
	}

	/** Message `seq` is committed. */
	confirm(seq: number): void {
		this.#unconfirmed.delete(seq);
		this.#sendAckIfAdvanced();
	}

	#sendAckIfAdvanced(): void {
		if (this.#phase !== 'open') return;
		let upTo = this.#updatesReceived;
		for (const seq of this.#unconfirmed) upTo = Math.min(upTo, seq - 1);
		if (upTo > this.#acknowledged) {
			this.#acknowledged = upTo;
			this.send(encodePersisted(upTo));
		}
	}

	/** The role changed but editing rights did not (e.g. member → manager): tell the client. */
	updateRole(role: Role): void {
		this.identity.role = role;
		this.send(encodeAccess(role, this.identity.canEdit));
	}

	/** Sends to an open connection; a waiting one hears nothing (only sendLoadedState speaks). */
	send(message: Uint8Array): void {
		if (this.#phase !== 'open') return;
		this.#write(message);
	}

	#write(message: Uint8Array): void {
		if (this.#socket.bufferedAmount > this.#options.maxBufferedBytes) {
			// It cannot keep up; buffering more would only grow the server's memory.
			this.close(CloseReasons.slowConsumer);
			return;
		}
		this.#socket.send(message);
		this.lastSentAt = performance.now();
	}

	sendKeepaliveIfIdle(now: number): void {
		if (this.#phase === 'open' && now - this.lastSentAt >= this.#options.keepaliveIdleMs) {
			this.send(KEEPALIVE_MESSAGE);
		}
	}

	/** Ping, or terminate a connection that did not answer the previous ping. */
	heartbeat(now: number): void {
		if (this.#phase === 'closed' || now - this.lastPingAt < this.#options.pingIntervalMs) return;
		if (this.awaitingPong) {
			this.#log.info({ board: this.identity.boardId }, 'sync connection did not answer ping');
			this.terminate();
			return;
		}
		this.awaitingPong = true;
		this.lastPingAt = now;
		this.#socket.ping();
	}

	pong(): void {
		this.awaitingPong = false;
	}

	close(reason: CloseReason): void {
		if (this.#phase === 'closed') return;
		this.#phase = 'closed';
		this.#waiting = [];
		this.#socket.close(reason.code, reason.reason);
		if (reason.code >= 4400 && reason.code < 4500) {
			this.#log.info(
				{
					board: this.identity.boardId,
					user: this.identity.userId,
					code: reason.code,
					reason: reason.reason
				},
				'sync connection refused'
			);
		}
		this.#room.leave(this);
	}

	/** Drops the socket without a handshake. */
	terminate(): void {
		if (this.#phase !== 'closed') {
			this.#phase = 'closed';
			this.#waiting = [];
			this.#room.leave(this);
		}
		this.#socket.terminate();
	}

	/** The socket closed from the other side (or after our close). */
	socketClosed(): void {
		if (this.#phase === 'closed') return;
		this.#phase = 'closed';
		this.#waiting = [];
		this.#room.leave(this);
	}
}

export function errorDetails(error: unknown): { message: string; stack?: string } {
	return error instanceof Error
		? { message: error.message, ...(error.stack ? { stack: error.stack } : {}) }
		: { message: String(error) };
}
