/**
 * Counts this replica's own document changes that the server has not yet confirmed as committed.
 * The count drives the "Saving… / n unsaved changes" indicator, so it must never say "saved" too
 * early.
 *
 * The server acknowledges by message number (MessageType.persisted): "the first n update-bearing
 * messages (SyncStep2 + Update) this connection sent are committed". So each local change is
 * remembered with the number of the message that carried it:
 *   - while connected, y-websocket sends each change at once, as one Update message;
 *   - while offline, changes wait (unsent); on reconnect, the client's SyncStep2 answer to the
 *     server's SyncStep1 carries all of them in one message;
 *   - when a connection closes, whatever was not acknowledged waits again: the next handshake
 *     resends what the server lacks, and message numbers start over on the new connection.
 */
export interface PendingSnapshot {
	unsent: number;
	inFlight: number;
}

interface Carried {
	/** The update-bearing message (1-based on its connection) that carried these changes. */
	message: number;
	keys: Set<string>;
}

/**
 * What the count counts: the things a person changed — a card's field, a planned action, a
 * setting — each once however many keystrokes or messages it took ("4 unsaved changes", not 52).
 * A change with no keys given counts on its own.
 */
export class PendingChanges {
	#unsent = new Set<string>();
	#inFlight: Carried[] = [];
	#anonymous = 0;
	readonly #onChange: (count: number) => void;

	constructor(onChange: (count: number) => void = () => {}) {
		this.#onChange = onChange;
	}

	get count(): number {
		const all = new Set(this.#unsent);
		for (const carried of this.#inFlight) for (const key of carried.keys) all.add(key);
		return all.size;
	}

	get snapshot(): PendingSnapshot {
		return { unsent: this.#unsent.size, inFlight: this.#inFlightKeys().size };
	}

	/**
	 * A local change was made; `carriedBy` is the message that took it to the server, if one did;
	 * `keys` name what it changed (see changeKeys in change-keys.ts).
	 */
	recordLocalUpdate(carriedBy: number | null, keys: readonly string[] = []): void {
		const changed = keys.length > 0 ? keys : [this.#newAnonymousKey()];
		if (carriedBy === null) for (const key of changed) this.#unsent.add(key);
		else this.#carry(carriedBy, changed);
		this.#notify();
	}

	/** The handshake's SyncStep2 (message `message`) took every waiting change along. */
	handshakeSent(message: number): void {
		if (this.#unsent.size === 0) return;
		this.#carry(message, [...this.#unsent]);
		this.#unsent = new Set();
		this.#notify();
	}

	/**
	 * Changes an earlier visit left unconfirmed (the local copy holds them and y-indexeddb feeds
	 * them to the connection). `carriedBy`: the latest message sent, or null when offline.
	 */
	restoreUnsent(count: number, carriedBy: number | null): void {
		const safe = Number.isFinite(count) ? Math.max(0, Math.min(10_000, Math.floor(count))) : 0;
		if (safe === 0) return;
		const keys = Array.from({ length: safe }, () => this.#newAnonymousKey());
		if (carriedBy === null) for (const key of keys) this.#unsent.add(key);
		else this.#carry(carriedBy, keys);
		this.#notify();
	}

	/** The server committed the first `upTo` update-bearing messages of the current connection. */
	acknowledge(upTo: number): void {
		const before = this.#inFlight.length;
		this.#inFlight = this.#inFlight.filter((carried) => carried.message > upTo);
		if (this.#inFlight.length !== before) this.#notify();
	}

	/** The connection closed: nothing unacknowledged is known to be saved; it waits for the next one. */
	connectionClosed(): void {
		if (this.#inFlight.length === 0) return;
		for (const key of this.#inFlightKeys()) this.#unsent.add(key);
		this.#inFlight = [];
		this.#notify();
	}

	/** Forget everything (the local copy was removed). */
	reset(): void {
		this.#unsent = new Set();
		this.#inFlight = [];
		this.#notify();
	}

	#newAnonymousKey(): string {
		this.#anonymous++;
		return `\u0000change-${this.#anonymous}`;
	}

	#carry(message: number, keys: readonly string[]): void {
		const last = this.#inFlight.at(-1);
		if (last && last.message === message) for (const key of keys) last.keys.add(key);
		else this.#inFlight.push({ message, keys: new Set(keys) });
	}

	#inFlightKeys(): Set<string> {
		const keys = new Set<string>();
		for (const carried of this.#inFlight) for (const key of carried.keys) keys.add(key);
		return keys;
	}

	#notify(): void {
		this.#onChange(this.count);
	}
}

/**
 * Whether an outgoing y-websocket frame carries document content the server acknowledges
 * (sync SyncStep2 = 1 or Update = 2), and which. Both varuints are single bytes here.
 */
export function updateBearingKind(frame: unknown): 'handshake' | 'update' | null {
	let bytes: Uint8Array | null = null;
	if (frame instanceof Uint8Array) bytes = frame;
	else if (frame instanceof ArrayBuffer) bytes = new Uint8Array(frame);
	if (!bytes || bytes.length < 2 || bytes[0] !== 0) return null;
	if (bytes[1] === 1) return 'handshake';
	if (bytes[1] === 2) return 'update';
	return null;
}
