/**
 * One open board in the browser: the Y.Doc, its local copy (IndexedDB), its connection to the sync
 * server, presence, undo/redo, and a reactive, validated view of the columns for the UI.
 *
 * Created per page (and provided through context, see board-context.ts), never as a module
 * singleton: on the server the same module renders many people's pages. The constructor does no
 * I/O, so server rendering gets an empty board; `start()` (browser only) opens storage and socket.
 */
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import { SvelteMap } from 'svelte/reactivity';
import {
	cardsMap,
	cardText,
	createCard,
	readCardMove,
	readColumns,
	readWipLimits,
	setBeneficiary,
	setWipLimit,
	settingsMap,
	type WipLimit,
	type WipLimits
} from '../document';
import type { Stage } from '../stages';
import { missingForMove, type Missing } from '../lifecycle';
import {
	cardDetailText,
	gateFacts,
	initCardDetail,
	moveThroughLifecycle,
	readCardDetail,
	readCardSummary,
	type CardDetail,
	type CardTextField
} from '../pdca';
import { CloseCode, MessageType, SYNC_PATH_PREFIX } from '../../sync/protocol';
import { readDeletionRefused, type DeletionRefusal } from '../../sync/deletion-refused';
import { readAccess, readMoveRefused, readPersisted, type MoveRefusal } from '../../sync/messages';
import type { Role } from '../../roles';
import { emptyColumns, findCard, reuseUnchanged, type Columns } from './card-views';
import {
	boardDatabaseName,
	CLEAR_LOCAL_DATA_EVENT,
	clearBoardLocalData,
	registerBoardDatabase
} from './local-data';
import { changeKeys } from './change-keys';
import { PendingChanges, updateBearingKind } from './pending-changes';
import { colourForUser, readPeers, type Peer, type PresenceState } from './presence';
import { isPermanentClose, ReconnectScheduler } from './reconnect';
import { checkWipForMove } from './wip';
import { MoveOverrideWatch, type MoveOverride } from './move-overrides';

export type ConnectionStatus = 'connecting' | 'online' | 'offline';

/** Why the board stopped syncing for good (the server closed with a permanent 44xx code). */
export type AccessLoss = 'signed-out' | 'forbidden' | 'gone' | 'refused';

export type MoveResult =
	| { ok: true; moved: boolean }
	| { ok: false; reason: 'read-only' | 'missing' }
	| { ok: false; reason: 'hard-limit'; limit: number }
	/** The stage gate needs more first (lifecycle.ts); a manager may pass it with a reason. */
	| { ok: false; reason: 'gate'; missing: Missing[] };

export interface LiveBoardOptions {
	boardId: string;
	user: { id: string; name: string };
	role: Role;
	canEdit: boolean;
	/** Defaults to this page's origin with ws(s):, plus /sync. */
	serverUrl?: string;
}

/** Connection attempts that may fail before the indicator says "offline" instead of "connecting". */
const FAILURES_BEFORE_OFFLINE = 2;
const UNSAVED_KEY = 'unsaved';

export class LiveBoard {
	readonly boardId: string;
	readonly user: { id: string; name: string; colour: string };
	readonly doc = new Y.Doc();
	/** Origin of every local transaction: what undo tracks and what counts as "my change". */
	readonly origin = { source: 'tillit-local' };

	/** From the page load, then from the server's access message (a role can change mid-session). */
	role = $state<Role>('viewer');
	canEdit = $state(false);
	/** Cards per column in rank order; replaced (not mutated) once per document change. */
	columns = $state.raw<Columns>(emptyColumns());
	wipLimits = $state.raw<WipLimits>({});
	peers = $state.raw<Peer[]>([]);
	/** Every connection's raw presence state (untrusted input: read it through a validator). */
	// Replaced as a whole on each change, never mutated: $state.raw, not a SvelteMap.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	presenceStates = $state.raw<ReadonlyMap<number, unknown>>(new Map());
	/** Local copy or server content has arrived (an empty board is then really empty). */
	loaded = $state(false);
	synced = $state(false);
	connection = $state<ConnectionStatus>('connecting');
	/** Own changes not yet confirmed as committed by the server. */
	unsavedCount = $state(0);
	accessLost = $state<AccessLoss | null>(null);
	canUndo = $state(false);
	canRedo = $state(false);
	/** Counts document changes, for views that read the document directly (card details). */
	revision = $state(0);
	/** The latest move of ours the server undid (its stage gate), with a sequence to notice repeats. */
	serverRefusal = $state.raw<(MoveRefusal & { seq: number }) | null>(null);
	/** The server undid a deletion of ours that took too many cards at once (the last one). */
	deletionRefusal = $state.raw<(DeletionRefusal & { seq: number }) | null>(null);
	/** Cards whose recent move by this person someone else's change overrode, by card id. */
	readonly overrides = new SvelteMap<string, MoveOverride & { byName: string | null }>();

	readonly #serverUrl: string | undefined;
	readonly #undo: Y.UndoManager;
	readonly #pending: PendingChanges;
	readonly #overrideWatch: MoveOverrideWatch;
	#provider: WebsocketProvider | null = null;
	#persistence: IndexeddbPersistence | null = null;
	#scheduler: ReconnectScheduler | null = null;
	#failures = 0;
	#deliberateDisconnect = false;
	#refreshQueued = false;
	#saveUnsavedTimer: ReturnType<typeof setTimeout> | null = null;
	#cleanups: (() => void)[] = [];
	#currentMessage: () => number | null = () => null;
	#destroyed = false;

	constructor(options: LiveBoardOptions) {
		this.boardId = options.boardId;
		this.user = { ...options.user, colour: colourForUser(options.user.id) };
		this.role = options.role;
		this.canEdit = options.canEdit;
		this.#serverUrl = options.serverUrl;
		this.#overrideWatch = new MoveOverrideWatch(options.user.id);
		this.#pending = new PendingChanges((count) => {
			this.unsavedCount = count;
			this.#rememberUnsaved(count);
		});
		this.#undo = new Y.UndoManager([cardsMap(this.doc), settingsMap(this.doc)], {
			// Yjs's own configuration, not UI state: nothing renders from this set.
			// eslint-disable-next-line svelte/prefer-svelte-reactivity
			trackedOrigins: new Set([this.origin])
		});
		const updateUndoState = () => {
			this.canUndo = this.#undo.canUndo();
			this.canRedo = this.#undo.canRedo();
		};
		this.#undo.on('stack-item-added', updateUndoState);
		this.#undo.on('stack-item-popped', updateUndoState);
		this.#undo.on('stack-cleared', updateUndoState);

		// Re-read the columns once per batch of remote changes (several transactions in one task
		// coalesce), not once per card.
		const onDocumentChange = () => this.#queueRefresh();
		cardsMap(this.doc).observeDeep(onDocumentChange);
		settingsMap(this.doc).observe(onDocumentChange);
		this.#cleanups.push(() => {
			cardsMap(this.doc).unobserveDeep(onDocumentChange);
			settingsMap(this.doc).unobserve(onDocumentChange);
		});
	}

	get databaseName(): string {
		return boardDatabaseName(this.user.id, this.boardId);
	}

	/** Opens the local copy and the connection. Browser only; call once. */
	start(): void {
		if (this.#destroyed || this.#provider) return;
		this.#openLocalCopy();
		this.#connect();
		const onOffline = () => this.#goOffline();
		const onOnline = () => this.#comeOnline();
		const onClear = (event: Event) => {
			const name = (event as CustomEvent<string | null>).detail;
			if (name === null || name === this.databaseName) this.#closeLocalCopy();
		};
		window.addEventListener('offline', onOffline);
		window.addEventListener('online', onOnline);
		window.addEventListener(CLEAR_LOCAL_DATA_EVENT, onClear);
		this.#cleanups.push(() => {
			window.removeEventListener('offline', onOffline);
			window.removeEventListener('online', onOnline);
			window.removeEventListener(CLEAR_LOCAL_DATA_EVENT, onClear);
		});
	}

	destroy(): void {
		if (this.#destroyed) return;
		this.#destroyed = true;
		this.#scheduler?.cancel();
		if (this.#saveUnsavedTimer) clearTimeout(this.#saveUnsavedTimer);
		for (const cleanup of this.#cleanups) cleanup();
		this.#cleanups = [];
		if (this.#provider) {
			this.#deliberateDisconnect = true;
			this.#provider.awareness.setLocalState(null);
			this.#provider.destroy();
			this.#provider = null;
		}
		this.#closeLocalCopy();
		this.#undo.destroy();
		this.doc.destroy();
	}

	// ---- reading ---------------------------------------------------------------------------

	card(cardId: string) {
		return findCard(this.columns, cardId)?.card ?? null;
	}

	/** A card's PDCA details (proposal, cycles, …), validated; read afresh on each call. */
	detail(cardId: string): CardDetail | null {
		return readCardDetail(this.doc, cardId);
	}

	/** The shared text of a card's field, for live editing (members only). */
	text(cardId: string, field: 'title' | 'description' | CardTextField): Y.Text | null {
		if (!this.canEdit) return null;
		// Getting a text may create a missing one: that is a write, so it carries the local origin.
		return this.doc.transact(
			() =>
				field === 'title' || field === 'description'
					? cardText(this.doc, cardId, field)
					: cardDetailText(this.doc, cardId, field),
			this.origin
		);
	}

	// ---- writing ---------------------------------------------------------------------------

	createCard(input: {
		title: string;
		beneficiary: string;
		problem?: string;
		idea?: string;
	}): string | null {
		const title = input.title.trim();
		if (!this.canEdit || title.length === 0) return null;
		const id = this.doc.transact(() => {
			const cardId = createCard(this.doc, {
				title,
				beneficiary: input.beneficiary,
				stage: 'proposed',
				userId: this.user.id
			});
			// The proposer is credited all the way to the standard (DESIGN.md §2.2).
			initCardDetail(this.doc, cardId, { id: this.user.id, name: this.user.name });
			const problem = input.problem?.trim();
			if (problem) cardDetailText(this.doc, cardId, 'problem')?.insert(0, problem);
			const idea = input.idea?.trim();
			if (idea) cardDetailText(this.doc, cardId, 'idea')?.insert(0, idea);
			return cardId;
		}, this.origin);
		this.#refresh();
		return id;
	}

	/** Whether `cardId` could enter `stage` now (hard WIP limits). */
	checkMove(cardId: string, stage: Stage) {
		return checkWipForMove(this.columns, this.wipLimits, cardId, stage);
	}

	/** What the stage gates miss for `cardId` to enter `stage` now (empty: the gates let it pass). */
	gateMissing(cardId: string, stage: Stage): Missing[] {
		const detail = readCardDetail(this.doc, cardId);
		return detail ? missingForMove(gateFacts(detail), detail.stage, stage) : [];
	}

	/**
	 * Puts a card at `index` of `stage` (index among the column's other cards, in display order),
	 * through the lifecycle: hard WIP limits, then the stage gates (a manager may pass a gate with
	 * `override`, a reason that is recorded); an adapt decision starts the next cycle. One
	 * transaction; the server checks the same gates again.
	 */
	moveCard(cardId: string, stage: Stage, index: number, override?: string): MoveResult {
		if (!this.canEdit) return { ok: false, reason: 'read-only' };
		const found = findCard(this.columns, cardId);
		if (!found) return { ok: false, reason: 'missing' };
		const check = this.checkMove(cardId, stage);
		if (!check.ok) return check;
		const column = this.columns[stage];
		const target = Math.max(
			0,
			Math.min(index, column.length - (found.card.stage === stage ? 1 : 0))
		);
		if (found.card.stage === stage && found.index === target) return { ok: true, moved: false };
		const result = this.doc.transact(
			() =>
				moveThroughLifecycle(this.doc, cardId, {
					stage,
					index: target,
					userId: this.user.id,
					override
				}),
			this.origin
		);
		if (!result.ok) return { ok: false, reason: 'gate', missing: result.missing };
		this.#overrideWatch.moved(cardId, stage);
		this.dismissOverride(cardId);
		this.#refresh();
		return { ok: true, moved: true };
	}

	dismissOverride(cardId: string): void {
		this.overrides.delete(cardId);
	}

	setBeneficiary(cardId: string, beneficiary: string): void {
		if (!this.canEdit) return;
		this.doc.transact(() => setBeneficiary(this.doc, cardId, beneficiary), this.origin);
		this.#refresh();
	}

	setWipLimit(stage: Stage, limit: WipLimit | null): void {
		if (!this.canEdit) return;
		this.doc.transact(() => setWipLimit(this.doc, stage, limit), this.origin);
		this.#refresh();
	}

	undo(): void {
		if (!this.canEdit) return;
		this.#overrideWatch.forgetAll();
		this.#undo.undo();
		this.#refresh();
	}

	redo(): void {
		if (!this.canEdit) return;
		this.#overrideWatch.forgetAll();
		this.#undo.redo();
		this.#refresh();
	}

	/** Sets one more field of this person's presence (e.g. the stand-up walk's position). */
	setPresenceField(key: string, value: unknown): void {
		this.#provider?.awareness.setLocalStateField(key, value);
	}

	/** Tells the others which card this person has open (null: none). */
	setEditing(cardId: string | null): void {
		this.#provider?.awareness.setLocalStateField('editing', cardId);
	}

	// ---- internals -------------------------------------------------------------------------

	#queueRefresh(): void {
		if (this.#refreshQueued) return;
		this.#refreshQueued = true;
		queueMicrotask(() => {
			this.#refreshQueued = false;
			if (!this.#destroyed) this.#refresh();
		});
	}

	#refresh(): void {
		this.revision++;
		this.columns = reuseUnchanged(this.columns, readColumns(this.doc));
		const limits = readWipLimits(this.doc);
		if (JSON.stringify(limits) !== JSON.stringify(this.wipLimits)) this.wipLimits = limits;
		this.#noticeOverrides();
	}

	/** A move of ours someone else's change replaced (move-overrides.ts): a notice on the card. */
	#noticeOverrides(): void {
		const found = this.#overrideWatch.check((cardId) => {
			const move = readCardMove(this.doc, cardId);
			return move ? { stage: move.stage, movedBy: move.movedBy } : null;
		});
		for (const override of found) {
			this.overrides.set(override.cardId, { ...override, byName: this.#nameOf(override.byUserId) });
		}
	}

	/** A person's name as the board knows it: on the board now, or named on a card. */
	#nameOf(userId: string): string | null {
		const peer = this.peers.find((p) => p.userId === userId);
		if (peer) return peer.name;
		for (const cardId of cardsMap(this.doc).keys()) {
			const summary = readCardSummary(this.doc, cardId);
			for (const person of [summary?.owner, summary?.proposer, summary?.standard?.owner]) {
				if (person?.id === userId) return person.name;
			}
		}
		return null;
	}

	#openLocalCopy(): void {
		if (typeof indexedDB === 'undefined') {
			return;
		}
		const persistence = new IndexeddbPersistence(this.databaseName, this.doc);
		this.#persistence = persistence;
		registerBoardDatabase(this.databaseName);
		persistence.whenSynced.then(
			async () => {
				if (this.#destroyed || this.#persistence !== persistence) return;
				this.loaded = true;
				this.#refresh();
				// Changes made in an earlier visit that the server never confirmed.
				const stored: unknown = await persistence.get(UNSAVED_KEY);
				if (typeof stored === 'number' && stored > 0 && this.#pending.count === 0) {
					this.#pending.restoreUnsent(stored, this.#currentMessage());
				}
			},
			() => {
				// No local copy (storage blocked): the board still works online.
			}
		);
	}

	#closeLocalCopy(): void {
		const persistence = this.#persistence;
		this.#persistence = null;
		if (persistence) {
			persistence.destroy().catch(() => {
				// Closing a database that failed to open: nothing to do.
			});
		}
	}

	#rememberUnsaved(count: number): void {
		if (this.#saveUnsavedTimer) clearTimeout(this.#saveUnsavedTimer);
		this.#saveUnsavedTimer = setTimeout(() => {
			this.#saveUnsavedTimer = null;
			this.#persistence?.set(UNSAVED_KEY, count).catch(() => {
				// Only a hint for the next visit; the edits themselves are stored by y-indexeddb.
			});
		}, 250);
	}

	#syncUrl(): string {
		if (this.#serverUrl) return this.#serverUrl;
		const base = location.origin.replace(/^http/, 'ws');
		return base + SYNC_PATH_PREFIX.replace(/\/$/, '');
	}

	#connect(): void {
		const pending = this.#pending;
		// The update-bearing message that carried the latest document update, paired with that
		// update in the doc 'update' handler below (the provider's handler runs just before it).
		let lastUpdateMessage: number | null = null;
		/**
		 * A WebSocket that numbers the update-bearing frames it sends, as the server does, so a
		 * `persisted` acknowledgement (a message count) maps to exactly the changes it covers.
		 */
		class CountingWebSocket extends WebSocket {
			sentUpdates = 0;
			override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
				const kind = updateBearingKind(data);
				super.send(data);
				if (kind === null) return;
				this.sentUpdates++;
				if (kind === 'handshake') pending.handshakeSent(this.sentUpdates);
				else lastUpdateMessage = this.sentUpdates;
			}
		}
		const provider = new WebsocketProvider(this.#syncUrl(), this.boardId, this.doc, {
			connect: false,
			WebSocketPolyfill: CountingWebSocket,
			// Tabs of one browser each keep their own socket, so each tab's "saved" indicator
			// reflects acknowledgements of its own messages.
			disableBc: true
		});
		this.#provider = provider;
		const presence: PresenceState = {
			user: { id: this.user.id, name: this.user.name, colour: this.user.colour },
			editing: null
		};
		provider.awareness.setLocalState(presence);
		provider.awareness.on('change', () => {
			this.peers = readPeers(provider.awareness.getStates(), this.doc.clientID);
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a snapshot, replaced whole
			this.presenceStates = new Map(provider.awareness.getStates());
		});
		this.peers = readPeers(provider.awareness.getStates(), this.doc.clientID);

		provider.messageHandlers[MessageType.persisted] = (_encoder, decoder) => {
			try {
				pending.acknowledge(readPersisted(decoder));
			} catch {
				// A malformed acknowledgement confirms nothing.
			}
		};
		let refusals = 0;
		provider.messageHandlers[MessageType.moveRefused] = (_encoder, decoder) => {
			const refusal = readMoveRefused(decoder);
			if (!refusal) return;
			// The server's undo of our move is explained by the refusal, not as someone's override.
			this.dismissOverride(refusal.cardId);
			this.serverRefusal = { ...refusal, seq: ++refusals };
		};
		provider.messageHandlers[MessageType.deletionRefused] = (_encoder, decoder) => {
			const refusal = readDeletionRefused(decoder);
			if (refusal) this.deletionRefusal = { ...refusal, seq: ++refusals };
		};
		provider.messageHandlers[MessageType.access] = (_encoder, decoder) => {
			const access = readAccess(decoder);
			if (!access) return;
			this.role = access.role;
			this.canEdit = access.canEdit;
		};

		this.doc.on(
			'update',
			(_update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
				const carriedBy = lastUpdateMessage;
				lastUpdateMessage = null;
				// Own changes only: not what the server or the local copy delivered.
				if (origin === provider || origin instanceof IndexeddbPersistence) return;
				// Counted as the fields it changed, not as keystrokes (change-keys.ts).
				pending.recordLocalUpdate(carriedBy, changeKeys(this.doc, transaction));
			}
		);
		this.#currentMessage = () => {
			const socket = provider.ws;
			return socket instanceof CountingWebSocket &&
				socket.readyState === WebSocket.OPEN &&
				socket.sentUpdates > 0
				? socket.sentUpdates
				: null;
		};

		this.#scheduler = new ReconnectScheduler(() => {
			if (this.#destroyed || this.accessLost) return;
			this.#updateConnection();
			provider.connect();
		});

		provider.on('status', () => this.#updateConnection());
		provider.on('sync', (isSynced: boolean) => {
			this.synced = isSynced;
			if (isSynced) {
				this.#failures = 0;
				this.#scheduler?.succeeded();
				this.loaded = true;
				this.#refresh();
			}
			this.#updateConnection();
		});
		provider.on('connection-close', (event) => {
			this.#pending.connectionClosed();
			this.synced = false;
			if (this.#deliberateDisconnect) {
				this.#updateConnection();
				return;
			}
			this.#failures++;
			const code = event?.code ?? null;
			if (code !== null && isPermanentClose(code)) return; // 'closed' follows
			// Take the retry over from y-websocket (no jitter there): once its close handling is
			// done, stop its timer and schedule our own.
			queueMicrotask(() => {
				if (this.#destroyed || this.accessLost) return;
				this.#disconnectQuietly();
				if (navigator.onLine) this.#scheduler?.schedule(code);
				this.#updateConnection();
			});
		});
		provider.on('closed', ({ code }) => {
			this.#handlePermanentClose(code);
		});

		if (navigator.onLine) provider.connect();
		this.#updateConnection();
	}

	#disconnectQuietly(): void {
		if (!this.#provider) return;
		this.#deliberateDisconnect = true;
		try {
			this.#provider.disconnect();
		} finally {
			this.#deliberateDisconnect = false;
		}
	}

	#goOffline(): void {
		this.#scheduler?.cancel();
		this.#disconnectQuietly();
		this.#updateConnection();
	}

	#comeOnline(): void {
		if (this.#destroyed || this.accessLost || !this.#provider) return;
		if (this.#provider.wsconnected || this.#provider.wsconnecting) return;
		// Everyone's network comes back at once after an outage: spread the reconnects.
		this.#scheduler?.schedule(null);
		this.#updateConnection();
	}

	#handlePermanentClose(code: number): void {
		if (code === CloseCode.tooManyRequests) {
			// Not a loss of access: retry, but only after a long pause.
			this.#scheduler?.schedule(CloseCode.tryAgainLater);
			this.#updateConnection();
			return;
		}
		const loss: AccessLoss =
			code === CloseCode.unauthenticated
				? 'signed-out'
				: code === CloseCode.forbidden
					? 'forbidden'
					: code === CloseCode.noSuchBoard
						? 'gone'
						: 'refused';
		this.accessLost = loss;
		this.#scheduler?.cancel();
		this.#disconnectQuietly();
		this.#updateConnection();
		if (loss === 'refused') return; // a rejected message: keep the local copy, nothing is lost
		// The person may no longer see this board: remove its copy from this browser.
		this.#closeLocalCopy();
		this.#pending.reset();
		clearBoardLocalData(this.user.id, this.boardId).catch(() => {
			// Deleting is best effort; the copy is also removed at sign-out.
		});
	}

	#updateConnection(): void {
		const provider = this.#provider;
		let status: ConnectionStatus;
		if (provider?.wsconnected && provider.synced) status = 'online';
		else if (this.accessLost || !navigator.onLine) status = 'offline';
		else if (this.#failures < FAILURES_BEFORE_OFFLINE) status = 'connecting';
		else status = 'offline';
		this.connection = status;
	}
}
