/**
 * Counts this replica's own document updates that the server has not yet confirmed as committed.
 * The count drives the "Saving… / n unsaved changes" indicator, so it must never say "saved" too
 * early: an update only leaves the count when a `persisted` message arrives on the connection
 * that carried it.
 *
 * How updates travel: while connected, y-websocket sends each local update at once (in flight).
 * While offline they wait (unsent); on reconnect the sync handshake sends all of them in one
 * SyncStep2, so opening a connection puts every unsent update in flight. When a connection closes,
 * whatever was in flight may or may not have been committed; the next handshake resends what the
 * server lacks, so those updates count as unsent again until a later `persisted` covers them.
 */
export interface PendingSnapshot {
	unsent: number;
	inFlight: number;
}

export class PendingChanges {
	#unsent = 0;
	#inFlight = 0;
	#connected = false;
	readonly #onChange: (count: number) => void;

	constructor(onChange: (count: number) => void = () => {}) {
		this.#onChange = onChange;
	}

	get count(): number {
		return this.#unsent + this.#inFlight;
	}

	get snapshot(): PendingSnapshot {
		return { unsent: this.#unsent, inFlight: this.#inFlight };
	}

	/** A local update was made; it goes out now if a connection is open, else it waits. */
	recordLocalUpdate(): void {
		if (this.#connected) this.#inFlight++;
		else this.#unsent++;
		this.#notify();
	}

	/**
	 * Changes an earlier visit left unconfirmed (the local copy holds them). They travel with the
	 * next handshake, or at once if a connection is already open.
	 */
	restoreUnsent(count: number): void {
		const safe = Number.isFinite(count) ? Math.max(0, Math.floor(count)) : 0;
		if (safe === 0) return;
		if (this.#connected) this.#inFlight += safe;
		else this.#unsent += safe;
		this.#notify();
	}

	/** A socket opened: the handshake carries every waiting update. */
	connectionOpened(): void {
		this.#connected = true;
		this.#inFlight += this.#unsent;
		this.#unsent = 0;
		this.#notify();
	}

	/** A socket closed: nothing in flight is known to be saved, so it waits for the next handshake. */
	connectionClosed(): void {
		this.#connected = false;
		this.#unsent += this.#inFlight;
		this.#inFlight = 0;
		this.#notify();
	}

	/**
	 * The server committed every update this connection sent before the acknowledgement left it.
	 * Updates sent after it (still crossing the wire) cannot be told apart without a sequence
	 * number in the message, so the server sends a fresh `persisted` after each commit batch and a
	 * brief early "saved" self-corrects; nothing is lost either way, because a replica still holds
	 * its updates and the next handshake resends whatever the server lacks.
	 */
	acknowledge(): void {
		if (!this.#connected) return;
		this.#inFlight = 0;
		this.#notify();
	}

	/** Forget everything (local data was cleared). */
	reset(): void {
		this.#unsent = 0;
		this.#inFlight = 0;
		this.#notify();
	}

	#notify(): void {
		this.#onChange(this.count);
	}
}
