/**
 * One loaded board: its Y.Doc, the presence of everyone on it, its connections, and its writer.
 *
 * Loading happens once, however many clients join at the same moment: joiners wait (their
 * connections hold what they send) until the stored state is in memory and the projection is
 * reconciled, and only then hear anything. An update from an editor is applied, broadcast to
 * everyone else at once, turned into stage events (src/lib/server/projection/stage-events.ts: the
 * one producer), and queued for the writer; the projection rows of the cards it touched are
 * computed when the writer takes its next batch (projection/projector.ts). A joiner's SyncStep2
 * comes from the document's cached encoding (state-cache.ts).
 *
 * The lifecycle is enforced here (src/lib/server/lifecycle-guard.ts): a stage change that misses
 * what its stage gate needs, without a manager's override, is undone by a server change in the
 * same write, so the event log never records it; the card's cycle is the server's. Server-side
 * edits (applyServerChange: adopting a standard, a guest's input) go the same way as a client's
 * update: applied, broadcast to everyone, stored, projected.
 */
import {
	Awareness,
	applyAwarenessUpdate,
	encodeAwarenessUpdate,
	removeAwarenessStates
} from 'y-protocols/awareness';
import * as Y from 'yjs';
import { cardsMap, countCards, observeCardChanges, readCards } from '../../src/lib/board/document';
import { readCardSummary, type CardSummary } from '../../src/lib/board/pdca';
import type { Logger } from '../../src/lib/server/log';
import { CardProjector } from '../../src/lib/server/projection/projector';
import { planReconciliation } from '../../src/lib/server/projection/reconcile';
import {
	recordStageChanges,
	type ChangeSender,
	type ChangeSource,
	type RecordedStage,
	type StageChanges,
	type StageEvent
} from '../../src/lib/server/projection/stage-events';
import type { FoldedState, Folder } from '../../src/lib/server/projection/fold-worker';
import { applyStoredUpdates, type BoardStore } from '../../src/lib/server/projection/store';
import {
	encodeAwarenessMessage,
	encodeMoveRefused,
	encodeSyncUpdate
} from '../../src/lib/sync/messages';
import {
	encodeAwarenessEntries,
	isNewerAwareness,
	ownPresence,
	readAwarenessEntries
} from './awareness-guard';
import type { BoardConnection, BoardRoomPort, Refusal, UpdateOutcome } from './board-connection';
import type { BoardKeeper } from '../../src/lib/server/history/keeper';
import { encodeDeletionRefused } from '../../src/lib/sync/deletion-refused';
import { errorDetails } from './board-connection';
import { BoardWriter, type Ack } from './board-writer';
import { CloseReasons, type CloseReason } from './close-reasons';
import { HeldAcks } from './held-acks';
import { cardsUpdateWouldDelete, guardDeletion, type DeletionOutcome } from './deletion-watch';
import type { SyncServerOptions } from './options';
import {
	dropPending,
	DocumentBounds,
	EMPTY_UPDATE,
	inspectUpdate,
	isIntegrated,
	pendingBytes
} from './update-gate';
import { DocumentStateCache } from './state-cache';

/**
 * Most awareness entries one message may carry. Not "a client's own few": the stock y-websocket
 * client echoes every presence change it hears, so after a (re)connect it sends back the whole
 * board's presence in one message — 17 people in a room broke a limit of 16 (the reconnect storm
 * test caught it). Echoes are filtered below at little cost; the frame size bounds the rest.
 */
const MAX_AWARENESS_ENTRIES = 2_048;

export interface RoomDeps {
	store: BoardStore;
	log: Logger;
	options: SyncServerOptions;
	/** The last connection left (the server starts the unload grace period). */
	onEmpty(room: BoardRoom): void;
	/** The board was deleted: the server forgets the room. */
	onGone(room: BoardRoom): void;
	/** Folds the stored log for compaction, off the event loop (one worker per server). */
	fold: Folder;
	/** History lane: trash and version points (src/lib/server/history/keeper.ts); optional. */
	keeper?: BoardKeeper;
}

/** What one applyUpdate produced: the effective updates Yjs emitted and the cards they touched. */
interface ApplyContext {
	updates: Uint8Array[];
	touchedCards: Set<string>;
	/** Each touched card's `place` before the change (the first old value seen), for undoing a move. */
	placesBefore: Map<string, unknown>;
}

function newApplyContext(): ApplyContext {
	return { updates: [], touchedCards: new Set(), placesBefore: new Map() };
}

/** The origin of the server's own transactions (corrections, applyServerChange). */
const SERVER_ORIGIN = Symbol('tillit-server');

export class BoardRoom implements BoardRoomPort {
	readonly doc = new Y.Doc({ gc: true });
	readonly awareness: Awareness;
	readonly connections = new Set<BoardConnection>();
	#phase: 'loading' | 'ready' | 'closed' = 'loading';
	#writer: BoardWriter | null = null;
	#lastRecorded = new Map<string, RecordedStage>();
	#projector: CardProjector | null = null;
	readonly #stateCache: DocumentStateCache;
	/** What the stored bytes hold: a joiner sent them while loading holds at least this. */
	#loadedStateVector: Uint8Array | null = null;
	#applying: ApplyContext | null = null;
	/** Acks for updates Yjs is holding until missing history arrives; released with that history. */
	readonly #held = new HeldAcks();
	/** The refusals checked before an update is applied (created on first use). */
	#bounds: DocumentBounds | null = null;
	readonly #awarenessOwners = new Map<number, BoardConnection>();
	#stopObservingCards: (() => void) | null = null;
	/** Server changes waiting for their commit; rejected if the room closes first. */
	readonly #serverChangeWaiters = new Set<(error: Error) => void>();
	readonly #loaded: Promise<void>;
	#settleLoaded: { resolve: () => void; reject: (error: Error) => void } | null = null;

	constructor(
		readonly boardId: string,
		readonly teamId: string,
		private readonly deps: RoomDeps
	) {
		this.#stateCache = new DocumentStateCache(this.doc, deps.fold, (error) =>
			deps.log.warn({ err: errorDetails(error), board: boardId }, 'state cache fold failed')
		);
		this.awareness = new Awareness(this.doc);
		// The server is not a participant: no presence of its own.
		this.awareness.setLocalState(null);
		this.#loaded = new Promise<void>((resolve, reject) => {
			this.#settleLoaded = { resolve, reject };
		});
		// Only server-side edits wait on this; a load failure reaches them, nobody else.
		this.#loaded.catch(() => {});
	}

	/** Resolves once the board is loaded and ready; rejects if it closes (or fails) first. */
	whenLoaded(): Promise<void> {
		return this.#loaded;
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
		// The stored bytes are the document's encoding already. Joiners waiting for this load (a
		// cold join) get them now, while the document is applied and its projection checked: that
		// was most of a cold join (~80 of ~180 ms at 1,000 cards).
		this.#stateCache.seed(loaded.updates);
		if (this.#stateCache.hasState) {
			const state = this.#stateCache.freshReplicaAnswer();
			for (const connection of this.connections) connection.sendLoadedState(state);
		}
		// Applied before any observer is attached: loading is not an edit to broadcast or store.
		applyStoredUpdates(this.doc, loaded.updates);
		this.#loadedStateVector = Y.encodeStateVector(this.doc);
		this.#bounds = new DocumentBounds(
			this.doc,
			options,
			loaded.updates.reduce((sum, update) => sum + update.byteLength, 0)
		);
		const cards = readCards(this.doc);
		const summaries = new Map<string, CardSummary>();
		for (const card of cards) {
			const summary = readCardSummary(this.doc, card.id);
			if (summary) summaries.set(card.id, summary);
		}
		const plan = planReconciliation(
			cards,
			loaded.projection,
			loaded.lastEvents,
			options.now(),
			summaries
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
		this.#projector = new CardProjector(this.doc, this.#lastRecorded, options.now);
		this.#writer = new BoardWriter(
			this.boardId,
			store,
			this.deps.log,
			options,
			{
				projector: this.#projector,
				fold: this.deps.fold,
				// History lane: one version per compaction.
				onCompacted: (folded) => this.deps.keeper?.compacted(this.boardId, folded),
				onBoardGone: () => {
					this.closeAll(CloseReasons.boardDeleted);
					this.destroy();
					this.deps.onGone(this);
				}
			},
			{
				rows: loaded.tailRows,
				bytes: loaded.tailBytes
			}
		);
		this.doc.on('update', (update: Uint8Array) => {
			this.#stateCache.extend(update);
			this.#applying?.updates.push(update);
		});
		const stopObservingChanges = observeCardChanges(this.doc, (cardIds) => {
			for (const id of cardIds) this.#applying?.touchedCards.add(id);
		});
		cardsMap(this.doc).observeDeep(this.#capturePlacesBefore);
		this.#stopObservingCards = () => {
			stopObservingChanges();
			cardsMap(this.doc).unobserveDeep(this.#capturePlacesBefore);
		};
		this.awareness.on('update', this.#relayAwareness);
		this.#phase = 'ready';
		this.#correctCyclesAfterLoad(cards);
		this.#settleLoaded?.resolve();
		this.#settleLoaded = null;
		this.#writer.compactIfDue();
		for (const connection of [...this.connections]) connection.start();
	}

	/**
	 * The board as it is now, as a version point made later: the cached state and the updates
	 * since are taken now (no copy of the bytes) and folded on the worker when the keeper asks (the
	 * loop never encodes a loaded board); with no updates since, the cached state is the point. A
	 * board without a state yet (never stored, never joined: small) is encoded here.
	 */
	#pointNow(): () => Promise<FoldedState> {
		const now = this.#stateCache.stateAndTail();
		if (!now || now.tail.length === 0) {
			// The cached state is the board as it is (usual at a stand-up: people just joined).
			const point = {
				state: now?.state ?? Y.encodeStateAsUpdate(this.doc),
				cardCount: countCards(this.doc)
			};
			return () => Promise.resolve(point);
		}
		return () => this.deps.fold([now.state, ...now.tail]);
	}

	/**
	 * A document whose card says another cycle than its last event (written before the server kept
	 * cycles, or by a modified client while no server watched) is corrected before anyone joins.
	 */
	#correctCyclesAfterLoad(cards: readonly { id: string; cycle: number }[]): void {
		const wrong = cards.filter((card) => {
			const recorded = this.#lastRecorded.get(card.id);
			return recorded !== undefined && recorded.cycle !== card.cycle;
		});
		if (wrong.length === 0) return;
		const { persisted } = this.applyServerChange(null, (doc) => {
			for (const card of wrong) {
				cardsMap(doc).get(card.id)?.set('cycle', this.#lastRecorded.get(card.id)!.cycle);
			}
		});
		persisted.catch(() => {}); // the writer retries; the room's close rejects it, nobody waits
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
		this.#held.forget(connection);
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
	): UpdateOutcome {
		// Refused before Yjs sees it: a document cannot take anything back once applied.
		const inspected = inspectUpdate(update);
		if (!inspected) return { refused: CloseReasons.badMessage('invalid update') };
		this.#bounds ??= new DocumentBounds(this.doc, this.deps.options); // loaded: set by load()
		const refusal = this.#bounds.admit(inspected, update.byteLength);
		if (refusal) return { refused: refusal };
		const context = newApplyContext();
		this.#applying = context;
		let malformed = false;
		let recorded: StageChanges;
		// History lane: cards this update deletes are copied while they exist (deletion-watch.ts).
		const deleting = cardsUpdateWouldDelete(this.doc, inspected.deletes);
		// The board before this update, once an hour per board (a version point).
		const pointBefore = this.deps.keeper?.due(this.boardId) ? this.#pointNow() : null;
		let deletion: DeletionOutcome | null = null;
		try {
			try {
				Y.applyUpdate(this.doc, update, connection);
			} catch (error) {
				malformed = true;
				this.deps.log.warn(
					{ err: errorDetails(error), board: this.boardId, user: connection.identity.userId },
					'client sent an update Yjs could not read'
				);
			}
			// Whatever Yjs integrated before a failure is in the document now: it is broadcast and
			// stored like any other change, so every replica and the database stay equal. Corrections
			// (an undone move, a cycle) are made while the context still collects updates, so they
			// join this very entry.
			if (deleting)
				deletion = guardDeletion(this.doc, deleting, connection.identity.role, SERVER_ORIGIN);
			recorded = this.#recordStageChanges(
				context,
				{ userId: connection.identity.userId, role: connection.identity.role },
				source
			);
		} finally {
			this.#applying = null;
		}
		const { events } = recorded;
		// This sender's ack waits only for what THIS update needs (held-acks.ts); the acks of
		// earlier updates whose history just arrived are released into this write.
		const acks: Ack[] = [];
		if (!malformed) {
			connection.markUnconfirmed(seq);
			if (isIntegrated(this.doc, inspected.needs)) acks.push({ connection, seq });
			else this.#held.hold(connection, seq, inspected.needs);
		}
		acks.push(...this.#held.release(this.doc));
		if (context.updates.length > 0) {
			const effective =
				context.updates.length === 1 ? context.updates[0]! : Y.mergeUpdates(context.updates);
			this.#bounds.applied(effective.byteLength);
			// A corrected update goes back to its sender too: it must learn that its move was undone.
			const corrected = recorded.corrected || deletion?.refused;
			this.#broadcast(encodeSyncUpdate(effective), corrected ? null : connection);
			this.#writer?.enqueue({ update: effective, events, acks });
			for (const refusal of recorded.refused) {
				connection.send(encodeMoveRefused(refusal.cardId, refusal.reason, refusal.missing));
			}
			// History lane: the guard's reason to the sender, allowed deletions to the trash, versions.
			if (deletion?.refused) connection.send(encodeDeletionRefused(deletion.refused));
			const { keeper } = this.deps;
			const userId = connection.identity.userId;
			if (deletion?.trashed.length) keeper?.cardsDeleted(this.boardId, userId, deletion.trashed);
			keeper?.changed(this.boardId, userId, context.touchedCards.size, pointBefore);
		} else if (acks.length > 0) {
			// Nothing new for the document, but what the message carried may be here only in memory,
			// waiting for its commit (a reconnect's handshake, content resent after a broadcast):
			// "saved" must wait for the writes already queued. The writer commits in order, so an
			// empty entry at the end of its queue is committed after all of them.
			if (this.persisted) for (const ack of acks) ack.connection.confirm(ack.seq);
			else this.#writer?.enqueue({ update: EMPTY_UPDATE, events: [], acks });
		}
		const overflow = this.#boundPending(connection);
		if (overflow) return overflow;
		return malformed ? { refused: CloseReasons.badMessage('invalid update') } : 'applied';
	}

	/**
	 * Pending data (updates waiting on history the server never saw) is bounded per board: past
	 * the bound it is dropped and the connection whose update passed it is refused. The others
	 * whose updates were parked with it are asked to reconnect: their handshake sends them again.
	 */
	#boundPending(sender: BoardConnection): Refusal | null {
		const { maxPendingBytes, maxHeldUpdates } = this.deps.options;
		if (pendingBytes(this.doc) <= maxPendingBytes && this.#held.size <= maxHeldUpdates) {
			return null;
		}
		dropPending(this.doc);
		for (const other of this.#held.clear()) {
			if (other !== sender) other.close(CloseReasons.pendingDropped);
		}
		this.deps.log.warn(
			{ board: this.boardId, user: sender.identity.userId },
			'pending updates over the bound: dropped, sender refused'
		);
		return { refused: CloseReasons.pendingTooLarge };
	}

	applyAwareness(
		connection: BoardConnection,
		update: Uint8Array,
		withinRate: () => boolean
	): 'applied' | 'dropped' | Refusal {
		const received = readAwarenessEntries(update, MAX_AWARENESS_ENTRIES);
		if (!received || received.some((entry) => entry.clientId === this.doc.clientID)) {
			return { refused: CloseReasons.badMessage('invalid awareness') };
		}
		// The stock client echoes every awareness change it hears, everyone's; an echo is not newer
		// than what the server has and changes nothing, so it is no claim on anything.
		const entries = received.filter((entry) => isNewerAwareness(this.awareness, entry));
		// A client id belongs to the connection that first used it; only a later connection of the
		// same person (a reconnecting tab) may take it over. Nobody may speak for another's; a
		// removal of another's entry (a client's own 30 s timeout, sent on) is ignored.
		const mayUse = (clientId: number) => {
			const owner = this.#awarenessOwners.get(clientId);
			return !owner || owner === connection || owner.identity.userId === connection.identity.userId;
		};
		if (entries.some((e) => e.state !== null && !mayUse(e.clientId))) {
			return { refused: CloseReasons.awarenessNotYours };
		}
		const mine = entries.filter((e) => mayUse(e.clientId));
		// Only a change counts against the rate: echoes come in bursts (40 people joining at once
		// make every client echo 39 states) and must not cost the sender its own presence.
		if (mine.length === 0) return 'applied';
		if (!withinRate()) return 'dropped';
		const newIds = new Set(
			mine
				.filter((e) => e.state !== null && !connection.awarenessClientIds.has(e.clientId))
				.map((e) => e.clientId)
		);
		if (
			connection.awarenessClientIds.size + newIds.size >
			this.deps.options.maxAwarenessClientsPerConnection
		) {
			return 'dropped';
		}
		// The identity shown is the session's, never the client's claim.
		const owned = mine.map((entry) =>
			entry.state !== null && typeof entry.state === 'object'
				? { ...entry, state: ownPresence(entry.state, connection.identity) }
				: entry
		);
		try {
			applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(owned), connection);
		} catch {
			return { refused: CloseReasons.badMessage('invalid awareness') };
		}
		for (const entry of mine) {
			const owner = this.#awarenessOwners.get(entry.clientId);
			if (entry.state === null) {
				connection.awarenessClientIds.delete(entry.clientId);
				if (owner === connection) this.#awarenessOwners.delete(entry.clientId);
				continue;
			}
			// The same person's newest connection owns it: a tab that reconnects before the server
			// noticed its old socket die keeps its presence.
			if (owner && owner !== connection) owner.awarenessClientIds.delete(entry.clientId);
			this.#awarenessOwners.set(entry.clientId, connection);
			connection.awarenessClientIds.add(entry.clientId);
		}
		return 'applied';
	}

	/**
	 * A change made by the server itself (a standard adopted, a guest's input): applied as one
	 * transaction, broadcast to every connection, stored and projected like a client's update, with
	 * stage events attributed to `actorUserId`. Server changes are trusted (no stage gates), but the
	 * cycle rules hold. `persisted` resolves once the change is committed and rejects if the room
	 * closes first. If `change` throws, whatever it wrote before is still broadcast and stored (Yjs
	 * has no rollback), then the error is rethrown: validate before writing.
	 */
	applyServerChange<T>(
		actorUserId: string | null,
		change: (doc: Y.Doc) => T
	): { value: T; persisted: Promise<void> } {
		if (this.#phase !== 'ready' || !this.#writer) throw new Error('board is not loaded');
		const writer = this.#writer;
		const context = newApplyContext();
		this.#applying = context;
		let outcome: { ok: true; value: T } | { ok: false; error: unknown };
		let events: StageEvent[];
		try {
			try {
				let value!: T;
				this.doc.transact(() => {
					value = change(this.doc);
				}, SERVER_ORIGIN);
				outcome = { ok: true, value };
			} catch (error) {
				outcome = { ok: false, error };
			}
			events = this.#recordStageChanges(
				context,
				{ userId: actorUserId, role: null },
				'live',
				true
			).events;
		} finally {
			this.#applying = null;
		}
		let persisted: Promise<void> = Promise.resolve();
		if (context.updates.length > 0) {
			const effective =
				context.updates.length === 1 ? context.updates[0]! : Y.mergeUpdates(context.updates);
			this.#broadcast(encodeSyncUpdate(effective), null);
			persisted = new Promise<void>((resolve, reject) => {
				this.#serverChangeWaiters.add(reject);
				const confirm = () => {
					this.#serverChangeWaiters.delete(reject);
					resolve();
				};
				writer.enqueue({ update: effective, events, acks: [{ connection: { confirm }, seq: 0 }] });
			});
		}
		if (!outcome.ok) {
			persisted.catch(() => {}); // stored anyway; the caller gets the change's own error
			throw outcome.error;
		}
		return { value: outcome.value, persisted };
	}

	/**
	 * The messages answering a joiner's SyncStep1: a fresh replica's from the cached encoding of
	 * the document (after the updates since), anyone else's exact difference. A joiner that was
	 * sent the stored state while the board loaded (`holdsLoadedState`) gets only what is newer.
	 * Throws on an unreadable state vector.
	 */
	encodeStateFor(stateVector: Uint8Array, holdsLoadedState: boolean): Uint8Array[] {
		// Its SyncStep1 may predate the stored state it got while the board loaded.
		const holds =
			holdsLoadedState && this.#loadedStateVector
				? DocumentStateCache.mergeStateVectors(stateVector, this.#loadedStateVector)
				: stateVector;
		return this.#stateCache.syncStep2For(holds);
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
		this.#settleLoaded?.reject(new Error('board closed before it was loaded'));
		this.#settleLoaded = null;
		for (const reject of this.#serverChangeWaiters) {
			reject(new Error('board closed before the change was stored'));
		}
		this.#serverChangeWaiters.clear();
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

	/** Remembers each card's `place` as it was before the change being applied (first old value). */
	#capturePlacesBefore = (events: Y.YEvent<Y.AbstractType<unknown>>[]): void => {
		const context = this.#applying;
		if (!context) return;
		for (const event of events) {
			if (event.path.length !== 1 || !(event instanceof Y.YMapEvent)) continue;
			const id = event.path[0];
			const change = event.changes.keys.get('place');
			if (typeof id === 'string' && change && !context.placesBefore.has(id)) {
				context.placesBefore.set(id, change.oldValue);
			}
		}
	};

	/**
	 * The room's use of the one stage-event producer (projection/stage-events.ts: guards, event
	 * times, the server's cycle). Runs inside the apply context: its corrections join the same
	 * write. Every touched card is then marked for the projection.
	 */
	#recordStageChanges(
		context: ApplyContext,
		sender: ChangeSender,
		source: ChangeSource,
		trusted = false
	): StageChanges {
		const changes: StageChanges =
			context.touchedCards.size === 0
				? { events: [], corrected: false, refused: [] }
				: recordStageChanges({
						doc: this.doc,
						cardIds: context.touchedCards,
						lastRecorded: this.#lastRecorded,
						sender: trusted ? { userId: sender.userId, role: null } : sender,
						source,
						now: this.deps.options.now(),
						enforceLifecycleGates: this.deps.options.enforceLifecycleGates,
						placesBefore: context.placesBefore,
						correct: (change) => this.doc.transact(change, SERVER_ORIGIN),
						onRefused: (refusal, toStage) =>
							this.deps.log.info(
								{
									board: this.boardId,
									card: refusal.cardId,
									user: sender.userId,
									to: toStage,
									missing: refusal.missing,
									reason: refusal.reason
								},
								'stage change refused by the lifecycle gates or a hard WIP limit; undone'
							)
					});
		this.#projector?.markChanged(context.touchedCards);
		return changes;
	}
}
