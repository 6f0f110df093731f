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
	count: number;
}

export class PendingChanges {
	#unsent = 0;
	#inFlight: Carried[] = [];
	readonly #onChange: (count: number) => void;

	constructor(onChange: (count: number) => void = () => {}) {
		this.#onChange = onChange;
	}

	get count(): number {
		return this.#unsent + this.#inFlightCount();
	}

	get snapshot(): PendingSnapshot {
		return { unsent: this.#unsent, inFlight: this.#inFlightCount() };
	}

	/** A local change was made; `carriedBy` is the message that took it to the server, if one did. */
	recordLocalUpdate(carriedBy: number | null): void {
		if (carriedBy === null) this.#unsent++;
		else this.#carry(carriedBy, 1);
		this.#notify();
	}

	/** The handshake's SyncStep2 (message `message`) took every waiting change along. */
	handshakeSent(message: number): void {
		if (this.#unsent === 0) return;
		this.#carry(message, this.#unsent);
		this.#unsent = 0;
		this.#notify();
	}

	/**
	 * Changes an earlier visit left unconfirmed (the local copy holds them and y-indexeddb feeds
	 * them to the connection). `carriedBy`: the latest message sent, or null when offline.
	 */
	restoreUnsent(count: number, carriedBy: number | null): void {
		const safe = Number.isFinite(count) ? Math.max(0, Math.floor(count)) : 0;
		if (safe === 0) return;
		if (carriedBy === null) this.#unsent += safe;
		else this.#carry(carriedBy, safe);
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
		const carried = this.#inFlightCount();
		if (carried === 0) return;
		this.#unsent += carried;
		this.#inFlight = [];
		this.#notify();
	}

	/** Forget everything (the local copy was removed). */
	reset(): void {
		this.#unsent = 0;
		this.#inFlight = [];
		this.#notify();
	}

	#carry(message: number, count: number): void {
		const last = this.#inFlight.at(-1);
		if (last && last.message === message) last.count += count;
		else this.#inFlight.push({ message, count });
	}

	#inFlightCount(): number {
		let total = 0;
		for (const carried of this.#inFlight) total += carried.count;
		return total;
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
