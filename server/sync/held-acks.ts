/**
 * "Saved" acknowledgements held back because the update they cover is not yet in the document
 * (Yjs parked part of it as pending, waiting on history the server never saw). Each is held by its
 * OWN update's needs (update-gate.ts), so one sender's dangling update holds back only that
 * sender's acknowledgement, and each is released as soon as the history its update needs arrives,
 * with the write that stores what it brought.
 */
import type * as Y from 'yjs';
import type { BoardConnection } from './board-connection';
import { isIntegrated, type UpdateNeeds } from './update-gate';

interface HeldAck {
	connection: BoardConnection;
	seq: number;
	needs: UpdateNeeds;
}

export class HeldAcks {
	#held: HeldAck[] = [];

	get size(): number {
		return this.#held.length;
	}

	hold(connection: BoardConnection, seq: number, needs: UpdateNeeds): void {
		this.#held.push({ connection, seq, needs });
	}

	/** The acks whose updates are now wholly in `doc`, removed from the held ones. */
	release(doc: Y.Doc): { connection: BoardConnection; seq: number }[] {
		if (this.#held.length === 0) return [];
		const released: HeldAck[] = [];
		const still: HeldAck[] = [];
		for (const held of this.#held) (isIntegrated(doc, held.needs) ? released : still).push(held);
		this.#held = still;
		return released.map(({ connection, seq }) => ({ connection, seq }));
	}

	/** A connection left: its held acks can never be sent. */
	forget(connection: BoardConnection): void {
		if (this.#held.some((held) => held.connection === connection)) {
			this.#held = this.#held.filter((held) => held.connection !== connection);
		}
	}

	/** Drops every held ack (the pending data was dropped); returns the connections they were for. */
	clear(): Set<BoardConnection> {
		const connections = new Set(this.#held.map((held) => held.connection));
		this.#held = [];
		return connections;
	}
}
