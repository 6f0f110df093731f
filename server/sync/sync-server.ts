/**
 * The sync server: y-websocket's protocol over `ws`, in the app's own process (production entry
 * and Vite's dev server both call createSyncServer). All state lives in the SyncServer instance:
 * the loaded boards (rooms) and, through them, the connections.
 *
 * Upgrade → admission (Origin, session, membership, role; a refusal completes the upgrade and
 * closes with a permanent 44xx code) → a BoardConnection joins its BoardRoom, which loads the board
 * once however many join → protocol (board-connection.ts) → durability (board-writer.ts).
 * Periodically: keepalives and pings; every connection's access is checked again, and at once for
 * the connections an access change names (notifyAccessChanged).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type * as Y from 'yjs';
import type { Runtime } from '../../src/lib/server/runtime';
import {
	accessChangeMatches,
	onAccessChanged,
	type AccessChange
} from '../../src/lib/server/sync/access-changes';
import {
	registerBoardEditor,
	type BoardEditOutcome,
	type EditActor
} from '../../src/lib/server/sync/board-editor';
import { createBoardStore, type BoardStore } from '../../src/lib/server/projection/store';
import { createBoardKeeper, type BoardKeeper } from '../../src/lib/server/history/keeper';
import { FoldWorker } from '../../src/lib/server/projection/fold-worker';
import { CloseCode } from '../../src/lib/sync/protocol';
import { admitUpgrade, recheckAccess, type Admitted, type Refused } from './admission';
import { BoardConnection, errorDetails } from './board-connection';
import { BoardRoom } from './board-room';
import { CloseReasons } from './close-reasons';
import { DEFAULT_SYNC_OPTIONS, wsMaxPayload, type SyncServerOptions } from './options';
import { guardBoardStore } from './guarded-store';
import { adaptWebSocket } from './socket';
import { UserCaps } from './user-caps';
import { closeFrameErrorsPermanently } from './ws-close-codes';

export interface SyncServer {
	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
	/** Re-checks the open connections `change` names; resolves when they are closed or switched. */
	notifyAccessChanged(change: AccessChange): Promise<void>;
	/**
	 * A server-side edit of a board's document (loaded if needed): broadcast to its open clients,
	 * stored and projected; resolves once committed. SvelteKit reaches it through
	 * src/lib/server/board-edit.ts.
	 */
	editBoard<T>(
		boardId: string,
		actor: EditActor,
		change: (doc: Y.Doc) => T
	): Promise<BoardEditOutcome<T>>;
	/** Ids of the boards in memory (diagnostics, tests). */
	loadedBoards(): string[];
	/** Graceful: closes every socket with 1012 and waits (bounded) until every edit is committed. */
	close(): Promise<void>;
	/** Crash simulation for tests: drops every socket and abandons pending writes at once. */
	terminate(): void;
}

export type SyncRuntime = Pick<Runtime, 'config' | 'database' | 'log'>;

export function createSyncServer(
	runtime: SyncRuntime,
	overrides: Partial<SyncServerOptions> = {}
): SyncServer {
	return new TillitSyncServer(runtime, { ...DEFAULT_SYNC_OPTIONS, ...overrides });
}

/** How many access re-checks run at once (each is two small queries). */
const RECHECK_CONCURRENCY = 4;

class TillitSyncServer implements SyncServer {
	readonly #rooms = new Map<string, BoardRoom>();
	readonly #unloadTimers = new Map<BoardRoom, ReturnType<typeof setTimeout>>();
	readonly #wss: WebSocketServer;
	readonly #store: BoardStore;
	/** Sockets and presence rate per person and board. */
	readonly #people: UserCaps;

	/** History lane: trash and version points (src/lib/server/history/keeper.ts). */
	readonly #keeper: BoardKeeper;
	/** Compaction's folds, on a worker thread (src/lib/server/projection/fold-worker.ts). */
	readonly #folder: FoldWorker;
	readonly #log: SyncRuntime['log'];
	readonly #tickTimer: ReturnType<typeof setInterval>;
	readonly #recheckTimer: ReturnType<typeof setInterval>;
	readonly #stopListening: () => void;
	readonly #stopEditing: () => void;
	#recheckRunning = false;
	/** Upgrades whose session and membership are being checked right now. */
	#admitting = 0;
	/** Upgrades answered 1013 because too many were being admitted (reliability tests read it). */
	admissionsDeferred = 0;
	#closing: Promise<void> | null = null;
	#stopped = false;

	constructor(
		private readonly runtime: SyncRuntime,
		private readonly options: SyncServerOptions
	) {
		this.#log = runtime.log.child({ module: 'sync' });
		// Guarded: a batch Postgres refuses for its data must not block the board (guarded-store.ts).
		this.#store = guardBoardStore(
			options.store ?? createBoardStore(runtime.database.db),
			this.#log
		);
		this.#people = new UserCaps(options);
		this.#keeper = createBoardKeeper(runtime.database.db, this.#log, options.now);
		this.#folder = new FoldWorker();
		this.#wss = new WebSocketServer({
			noServer: true,
			maxPayload: wsMaxPayload(options),
			perMessageDeflate: false
		});
		this.#tickTimer = setInterval(() => this.#tick(), options.tickMs);
		this.#recheckTimer = setInterval(
			() => {
				this.#recheckStale().catch((error: unknown) => {
					this.#log.error({ err: errorDetails(error) }, 'periodic access re-check failed');
				});
			},
			Math.max(100, Math.floor(options.revalidateEveryMs / 3))
		);
		// Timers must not keep a process alive that is otherwise done (tests, scripts).
		this.#tickTimer.unref();
		this.#recheckTimer.unref();
		this.#stopListening = onAccessChanged((change) => this.notifyAccessChanged(change));
		this.#stopEditing = registerBoardEditor({
			edit: (boardId, actor, change) => this.editBoard(boardId, actor, change)
		});
	}

	async editBoard<T>(
		boardId: string,
		actor: EditActor,
		change: (doc: Y.Doc) => T
	): Promise<BoardEditOutcome<T>> {
		if (this.#closing || this.#stopped) throw new Error('sync server is stopping');
		let room = this.#rooms.get(boardId);
		if (!room || room.closed) {
			const board = await this.runtime.database.db
				.selectFrom('boards')
				.select('team_id')
				.where('id', '=', boardId)
				.executeTakeFirst();
			if (!board) return { ok: false, reason: 'no_board' };
			room = this.#roomFor(boardId, board.team_id);
		}
		try {
			await room.whenLoaded();
			const { value, persisted } = room.applyServerChange(actor.userId, change);
			await persisted;
			return { ok: true, value };
		} finally {
			// A board loaded only for this edit is unloaded after the grace period, like any other.
			if (room.connections.size === 0 && !room.closed) this.#scheduleUnload(room);
		}
	}

	async handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
		if (this.#closing || this.#stopped) {
			socket.destroy(); // the client sees a failed connection and retries: transient, as it should be
			return;
		}
		if (this.#admitting >= this.options.maxConcurrentAdmissions) {
			this.admissionsDeferred++;
			this.#wss.handleUpgrade(request, socket, head, (ws) =>
				ws.close(CloseCode.tryAgainLater, 'busy, try again')
			);
			return;
		}
		this.#admitting++;
		let admission: Admitted | Refused;
		try {
			admission = await admitUpgrade(this.runtime.database.db, request, this.runtime.config.origin);
		} finally {
			this.#admitting--;
		}
		if (this.#closing || this.#stopped) {
			socket.destroy();
			return;
		}
		this.#wss.handleUpgrade(request, socket, head, (ws) => this.#accept(ws, admission));
	}

	#accept(ws: WebSocket, admission: Admitted | Refused): void {
		if (!admission.ok) {
			ws.close(admission.code, admission.reason);
			return;
		}
		if (this.#closing || this.#stopped) {
			ws.close(CloseCode.serviceRestart, 'server restarting');
			return;
		}
		closeFrameErrorsPermanently(ws);
		const person = this.#people.join(admission.boardId, admission.userId);
		if (!person) {
			const { code, reason } = CloseReasons.tooManyConnections;
			ws.close(code, reason);
			return;
		}
		const room = this.#roomFor(admission.boardId, admission.teamId);
		let connection: BoardConnection | null = null;
		const socket = adaptWebSocket(ws, {
			message: (data, isBinary) => connection?.receive(data, isBinary),
			pong: () => connection?.pong(),
			closed: () => {
				person.release();
				connection?.socketClosed();
			}
		});
		const { boardId, teamId, userId, userName, sessionId, role, canEdit } = admission;
		connection = new BoardConnection(
			socket,
			{ boardId, teamId, userId, userName, sessionId, role, canEdit },
			room,
			this.options,
			this.#log,
			person.awarenessBucket
		);
		this.#cancelUnload(room);
		room.join(connection);
	}

	/** The loaded room, or a new one that starts loading now (joiners share that one load). */
	#roomFor(boardId: string, teamId: string): BoardRoom {
		const existing = this.#rooms.get(boardId);
		if (existing && !existing.closed) return existing;
		const room = new BoardRoom(boardId, teamId, {
			store: this.#store,
			log: this.#log,
			options: this.options,
			onEmpty: (empty) => this.#scheduleUnload(empty),
			onGone: (gone) => this.#forget(gone),
			fold: this.#folder.fold,
			keeper: this.#keeper
		});
		this.#rooms.set(boardId, room);
		room.load().catch((error: unknown) => {
			this.#forget(room);
			room.failLoad(error);
		});
		return room;
	}

	#forget(room: BoardRoom): void {
		if (this.#rooms.get(room.boardId) === room) this.#rooms.delete(room.boardId);
		this.#cancelUnload(room);
	}

	#scheduleUnload(room: BoardRoom): void {
		this.#cancelUnload(room);
		if (this.#closing || this.#stopped) return; // close() and terminate() dispose of every room
		if (room.closed) {
			this.#forget(room);
			return;
		}
		const timer = setTimeout(() => {
			this.#unloadTimers.delete(room);
			this.#tryUnload(room);
		}, this.options.unloadGraceMs);
		timer.unref();
		this.#unloadTimers.set(room, timer);
	}

	#cancelUnload(room: BoardRoom): void {
		const timer = this.#unloadTimers.get(room);
		if (timer) clearTimeout(timer);
		this.#unloadTimers.delete(room);
	}

	/** Unloads an empty room, but only once everything it received is committed. */
	#tryUnload(room: BoardRoom): void {
		if (room.connections.size > 0 || room.closed || this.#unloadTimers.has(room)) return;
		if (!room.persisted) {
			room
				.whenPersisted()
				.then(() => this.#tryUnload(room))
				.catch(() => {});
			return;
		}
		this.#forget(room);
		room.destroy();
	}

	#allConnections(): BoardConnection[] {
		const all: BoardConnection[] = [];
		for (const room of this.#rooms.values()) all.push(...room.connections);
		return all;
	}

	#tick(): void {
		const now = performance.now();
		for (const connection of this.#allConnections()) {
			connection.sendKeepaliveIfIdle(now);
			connection.heartbeat(now);
		}
	}

	async notifyAccessChanged(change: AccessChange): Promise<void> {
		const matching = this.#allConnections().filter((c) => accessChangeMatches(change, c.identity));
		await this.#recheckAll(matching);
	}

	async #recheckStale(): Promise<void> {
		if (this.#recheckRunning) return;
		this.#recheckRunning = true;
		try {
			const due = performance.now() - this.options.revalidateEveryMs;
			await this.#recheckAll(this.#allConnections().filter((c) => c.lastValidatedAt <= due));
		} finally {
			this.#recheckRunning = false;
		}
	}

	async #recheckAll(connections: BoardConnection[]): Promise<void> {
		const queue = [...connections];
		const worker = async () => {
			for (let next = queue.shift(); next; next = queue.shift()) await this.#recheck(next);
		};
		await Promise.all(Array.from({ length: Math.min(RECHECK_CONCURRENCY, queue.length) }, worker));
	}

	async #recheck(connection: BoardConnection): Promise<void> {
		if (connection.isClosed) return;
		connection.lastValidatedAt = performance.now();
		let outcome;
		try {
			outcome = await recheckAccess(this.runtime.database.db, connection.identity);
		} catch (error) {
			// Our failure, not theirs: keep the connection; the next round checks again.
			this.#log.warn({ err: errorDetails(error) }, 'access re-check failed');
			return;
		}
		if (connection.isClosed) return;
		if (!outcome.ok) {
			connection.close({ code: outcome.code, reason: outcome.reason });
		} else if (outcome.canEdit !== connection.identity.canEdit) {
			// Reconnecting re-admits with the new role and a clean handshake, so a demoted editor's
			// client learns it is read-only before it can send anything the server would drop.
			connection.close(CloseReasons.accessChanged);
		} else if (outcome.role !== connection.identity.role) {
			connection.updateRole(outcome.role);
		}
	}

	loadedBoards(): string[] {
		return [...this.#rooms.keys()];
	}

	close(): Promise<void> {
		this.#closing ??= this.#closeGracefully();
		return this.#closing;
	}

	async #closeGracefully(): Promise<void> {
		this.#stopTimers();
		const rooms = [...this.#rooms.values()];
		for (const room of rooms) room.closeAll(CloseReasons.serverRestart);
		let deadline: ReturnType<typeof setTimeout> | undefined;
		const timedOut = await Promise.race([
			Promise.all(rooms.map((room) => room.whenPersisted())).then(() => false),
			new Promise<boolean>((resolve) => {
				deadline = setTimeout(() => resolve(true), this.options.closeFlushTimeoutMs);
			})
		]);
		clearTimeout(deadline);
		if (timedOut) {
			const unsaved = rooms.filter((room) => !room.persisted);
			this.#log.error(
				{ boards: unsaved.map((room) => ({ board: room.boardId, queued: room.queuedUpdates })) },
				'sync server stopped with uncommitted edits; the clients still hold them and resend them on reconnect'
			);
			for (const room of unsaved) room.terminate();
		}
		for (const room of rooms) room.destroy();
		this.#rooms.clear();
		await this.#keeper.settled();
		await this.#folder.close();
		this.#stopped = true;
		await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
	}

	terminate(): void {
		this.#stopped = true;
		this.#closing ??= Promise.resolve();
		this.#stopTimers();
		for (const room of this.#rooms.values()) room.terminate();
		this.#rooms.clear();
		for (const client of this.#wss.clients) client.terminate();
		this.#wss.close();
		void this.#folder.close();
	}

	#stopTimers(): void {
		clearInterval(this.#tickTimer);
		clearInterval(this.#recheckTimer);
		for (const timer of this.#unloadTimers.values()) clearTimeout(timer);
		this.#unloadTimers.clear();
		this.#stopListening();
		this.#stopEditing();
	}
}
