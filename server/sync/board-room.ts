/**
 * One loaded board: its Y.Doc, the presence of everyone on it, its connections, and its writer.
 *
 * Loading happens once, however many clients join at the same moment: joiners wait (their
 * connections hold what they send) until the stored state is in memory and the projection is
 * reconciled, and only then hear anything. An update from an editor is applied, broadcast to
 * everyone else at once, turned into stage events, and queued for the writer; the projection
 * rows of the cards it touched are computed when the writer takes its next batch.
 */
import {
	Awareness,
	applyAwarenessUpdate,
	encodeAwarenessUpdate,
	removeAwarenessStates
} from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
	cardsMap,
	observeCardChanges,
	readCard,
	readCardMove,
	readCards
} from '../../src/lib/board/document';
import type { Logger } from '../../src/lib/server/log';
import type { BoardStore } from '../../src/lib/server/sync/board-store';
import {
	planReconciliation,
	projectCard,
	stageEventFor,
	type ChangeSource,
	type ProjectedCard,
	type RecordedStage,
	type StageEvent
} from '../../src/lib/server/sync/card-projection';
import { encodeAwarenessMessage, encodeSyncUpdate } from '../../src/lib/sync/messages';
import { readAwarenessEntries } from './awareness-guard';
import type { BoardConnection, BoardRoomPort } from './board-connection';
import { errorDetails } from './board-connection';
import { BoardWriter, type Ack, type ProjectionChanges } from './board-writer';
import { CloseReasons, type CloseReason } from './close-reasons';
import type { SyncServerOptions } from './options';

/** Most awareness entries one message may carry (a client sends its own, rarely a few). */
const MAX_AWARENESS_ENTRIES = 16;

export interface RoomDeps {
	store: BoardStore;
	log: Logger;
	options: SyncServerOptions;
	/** The last connection left (the server starts the unload grace period). */
	onEmpty(room: BoardRoom): void;
	/** The board was deleted: the server forgets the room. */
	onGone(room: BoardRoom): void;
}

/** What one applyUpdate produced: the effective updates Yjs emitted and the cards they touched. */
interface ApplyContext {
	updates: Uint8Array[];
	touchedCards: Set<string>;
}

export class BoardRoom implements BoardRoomPort {
	readonly doc = new Y.Doc({ gc: true });
	readonly awareness: Awareness;
	readonly connections = new Set<BoardConnection>();
	#phase: 'loading' | 'ready' | 'closed' = 'loading';
	#writer: BoardWriter | null = null;
	#lastRecorded = new Map<string, RecordedStage>();
	readonly #projectionDirty = new Set<string>();
	#applying: ApplyContext | null = null;
	/** Acks for updates Yjs is holding until missing history arrives; released with that history. */
	#held: Ack[] = [];
	readonly #awarenessOwners = new Map<number, BoardConnection>();
	#stopObservingCards: (() => void) | null = null;

	constructor(
		readonly boardId: string,
		readonly teamId: string,
		private readonly deps: RoomDeps
	) {
		this.awareness = new Awareness(this.doc);
		// The server is not a participant: no presence of its own.
		this.awareness.setLocalState(null);
	}

	get ready(): boolean {
		return this.#phase === 'ready';
	}

	get closed(): boolean {
		return this.#phase === 'closed';
	}

	/** True when everything this board received is committed. */
	get persisted(): boolean {
		return this.#writer === null || this.#writer.idle;
	}

	whenPersisted(): Promise<void> {
		return this.#writer ? this.#writer.whenIdle() : Promise.resolve();
	}

	/** Loads snapshot + tail, reconciles the projection, then opens the waiting connections. */
	async load(): Promise<void> {
		const { store, options } = this.deps;
		const loaded = await store.loadBoard(this.boardId);
		// Applied before any observer is attached: loading is not an edit to broadcast or store.
		this.doc.transact(() => {
			for (const update of loaded.updates) Y.applyUpdate(this.doc, update);
		});
		const plan = planReconciliation(
			readCards(this.doc),
			loaded.projection,
			loaded.lastEvents,
			options.now()
		);
		if (plan.events.length > 0 || plan.upserts.length > 0 || plan.deletedCardIds.length > 0) {
			await store.commit({ boardId: this.boardId, update: null, ...plan });
			this.deps.log.info(
				{
					board: this.boardId,
					events: plan.events.length,
					rows: plan.upserts.length,
					deleted: plan.deletedCardIds.length
				},
				'card projection reconciled on load'
			);
		}
		if (this.#phase === 'closed') return; // terminated while loading
		this.#lastRecorded = plan.lastRecorded;
		this.#writer = new BoardWriter(
			this.boardId,
			store,
			this.deps.log,
			options,
			this.#writerHooks(),
			{
				rows: loaded.tailRows,
				bytes: loaded.tailBytes
			}
		);
		this.doc.on('update', (update: Uint8Array) => this.#applying?.updates.push(update));
		this.#stopObservingCards = observeCardChanges(this.doc, (cardIds) => {
			for (const id of cardIds) this.#applying?.touchedCards.add(id);
		});
		this.awareness.on('update', this.#relayAwareness);
		this.#phase = 'ready';
		this.#writer.compactIfDue();
		for (const connection of [...this.connections]) connection.start();
	}

	/** Loading failed: every waiting client is told to retry later. */
	failLoad(error: unknown): void {
		this.deps.log.error({ err: errorDetails(error), board: this.boardId }, 'board load failed');
		this.closeAll(CloseReasons.loadFailed);
		this.destroy();
	}

	join(connection: BoardConnection): void {
		this.connections.add(connection);
		if (this.#phase === 'ready') connection.start();
	}

	leave(connection: BoardConnection): void {
		if (!this.connections.delete(connection)) return;
		const owned = [...connection.awarenessClientIds].filter(
			(id) => this.#awarenessOwners.get(id) === connection
		);
		for (const id of owned) this.#awarenessOwners.delete(id);
		connection.awarenessClientIds.clear();
		if (owned.length > 0 && !this.closed) removeAwarenessStates(this.awareness, owned, 'left');
		if (this.connections.size === 0 && !this.closed) this.deps.onEmpty(this);
	}

	applyClientUpdate(
		connection: BoardConnection,
		update: Uint8Array,
		source: ChangeSource,
		seq: number
	): 'applied' | 'malformed' {
		const context: ApplyContext = { updates: [], touchedCards: new Set() };
		this.#applying = context;
		let malformed = false;
		try {
			Y.applyUpdate(this.doc, update, connection);
		} catch (error) {
			malformed = true;
			this.deps.log.warn(
				{ err: errorDetails(error), board: this.boardId, user: connection.identity.userId },
				'client sent an update Yjs could not read'
			);
		} finally {
			this.#applying = null;
		}
		// Whatever Yjs integrated before a failure is in the document now: it is broadcast and
		// stored like any other change, so every replica and the database stay equal.
		const events = this.#recordStageChanges(
			context.touchedCards,
			connection.identity.userId,
			source
		);
		for (const id of context.touchedCards) this.#projectionDirty.add(id);
		const waitingForHistory =
			this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null;
		const acks: Ack[] = [];
		if (!malformed) {
			const ack = { connection, seq };
			connection.markUnconfirmed(seq);
			if (waitingForHistory) this.#held.push(ack);
			else acks.push(ack);
		}
		if (context.updates.length > 0) {
			if (!waitingForHistory && this.#held.length > 0) {
				acks.push(...this.#held); // the history they waited for arrived with this update
				this.#held = [];
			}
			const effective =
				context.updates.length === 1 ? context.updates[0]! : Y.mergeUpdates(context.updates);
			this.#broadcast(encodeSyncUpdate(effective), connection);
			this.#writer?.enqueue({ update: effective, events, acks });
		} else {
			// Nothing new: saved already (unless held for history), so no write is needed.
			for (const ack of acks) ack.connection.confirm(ack.seq);
		}
		return malformed ? 'malformed' : 'applied';
	}

	applyAwareness(
		connection: BoardConnection,
		update: Uint8Array
	): 'applied' | 'malformed' | 'refused' {
		const entries = readAwarenessEntries(update, MAX_AWARENESS_ENTRIES);
		if (!entries) return 'malformed';
		if (entries.some((entry) => entry.clientId === this.doc.clientID)) return 'malformed';
		const newIds = new Set(
			entries
				.filter((e) => e.state !== null && !connection.awarenessClientIds.has(e.clientId))
				.map((e) => e.clientId)
		);
		if (
			connection.awarenessClientIds.size + newIds.size >
			this.deps.options.maxAwarenessClientsPerConnection
		) {
			return 'refused';
		}
		try {
			applyAwarenessUpdate(this.awareness, update, connection);
		} catch {
			return 'malformed';
		}
		for (const entry of entries) {
			const owner = this.#awarenessOwners.get(entry.clientId);
			if (entry.state === null) {
				connection.awarenessClientIds.delete(entry.clientId);
				if (owner === connection) this.#awarenessOwners.delete(entry.clientId);
				continue;
			}
			// The newest connection speaking for a client id owns it: a tab that reconnects before the
			// server noticed its old socket die keeps its presence.
			if (owner && owner !== connection) owner.awarenessClientIds.delete(entry.clientId);
			this.#awarenessOwners.set(entry.clientId, connection);
			connection.awarenessClientIds.add(entry.clientId);
		}
		return 'applied';
	}

	encodeAllAwareness(): Uint8Array | null {
		const ids = [...this.awareness.getStates().keys()];
		if (ids.length === 0) return null;
		return encodeAwarenessMessage(encodeAwarenessUpdate(this.awareness, ids));
	}

	closeAll(reason: CloseReason): void {
		for (const connection of [...this.connections]) connection.close(reason);
	}

	/** Crash simulation: drop every socket and abandon pending writes. */
	terminate(): void {
		this.#writer?.stop();
		for (const connection of [...this.connections]) connection.terminate();
		this.destroy();
	}

	destroy(): void {
		if (this.#phase === 'closed') return;
		this.#phase = 'closed';
		this.#stopObservingCards?.();
		this.awareness.off('update', this.#relayAwareness);
		this.awareness.destroy();
		this.doc.destroy();
	}

	get queuedUpdates(): number {
		return this.#writer?.queuedUpdates ?? 0;
	}

	#relayAwareness = (
		changes: { added: number[]; updated: number[]; removed: number[] },
		origin: unknown
	): void => {
		const changed = [...changes.added, ...changes.updated, ...changes.removed];
		if (changed.length === 0) return;
		const message = encodeAwarenessMessage(encodeAwarenessUpdate(this.awareness, changed));
		this.#broadcast(message, origin);
	};

	#broadcast(message: Uint8Array, except: unknown): void {
		for (const connection of this.connections) {
			if (connection !== except && connection.isOpen) connection.send(message);
		}
	}

	/**
	 * One event per card whose stage now differs from its last recorded one, attributed to the
	 * user whose connection sent the update (never to the `movedBy` the document claims).
	 */
	#recordStageChanges(
		cardIds: ReadonlySet<string>,
		userId: string,
		source: ChangeSource
	): StageEvent[] {
		const events: StageEvent[] = [];
		if (cardIds.size === 0) return events;
		const now = this.deps.options.now();
		for (const id of cardIds) {
			const move = readCardMove(this.doc, id);
			if (!move) continue; // deleted: the projection marks it, no stage event
			const event = stageEventFor({ id, ...move }, this.#lastRecorded.get(id), {
				byUserId: userId,
				source,
				now
			});
			if (!event) continue;
			this.#lastRecorded.set(id, { stage: event.toStage, at: event.at });
			events.push(event);
		}
		return events;
	}

	#writerHooks() {
		return {
			takeProjection: (): ProjectionChanges => {
				const now = this.deps.options.now();
				const upserts: ProjectedCard[] = [];
				const deletedCardIds: string[] = [];
				const cardIds = [...this.#projectionDirty];
				this.#projectionDirty.clear();
				const cards = cardsMap(this.doc);
				for (const id of cardIds) {
					const card = readCard(id, cards.get(id));
					if (card) upserts.push(projectCard(card, this.#lastRecorded.get(id)?.at ?? now, now));
					else deletedCardIds.push(id);
				}
				return { upserts, deletedCardIds, cardIds };
			},
			restoreProjection: (cardIds: readonly string[]) => {
				for (const id of cardIds) this.#projectionDirty.add(id);
			},
			committed: (entries: readonly { acks: Ack[] }[]) => {
				for (const entry of entries) for (const ack of entry.acks) ack.connection.confirm(ack.seq);
			},
			boardGone: () => {
				this.closeAll(CloseReasons.boardDeleted);
				this.destroy();
				this.deps.onGone(this);
			}
		};
	}
}
