/**
 * Bounds per person and board, not per socket: a member who opens a thousand sockets to one board
 * must not get a thousand times the presence rate, nor a thousand sockets. Each (board, user) has
 * a count of open sockets and ONE awareness token bucket that all of them draw from.
 */
import { TokenBucket } from './awareness-guard';

export interface PersonOnBoard {
	/** Shared by every socket of this person on this board. */
	readonly awarenessBucket: TokenBucket;
	/** Call once, when the socket has closed. */
	release(): void;
}

interface Entry {
	sockets: number;
	bucket: TokenBucket;
}

export class UserCaps {
	readonly #entries = new Map<string, Entry>();

	constructor(
		private readonly limits: {
			maxConnectionsPerUserPerBoard: number;
			awarenessPerSecond: number;
			awarenessBurst: number;
		}
	) {}

	/** A new socket of `userId` on `boardId`, or null when they already have as many as allowed. */
	join(boardId: string, userId: string): PersonOnBoard | null {
		const key = `${boardId}\n${userId}`;
		let entry = this.#entries.get(key);
		if (entry && entry.sockets >= this.limits.maxConnectionsPerUserPerBoard) return null;
		if (!entry) {
			entry = {
				sockets: 0,
				bucket: new TokenBucket(this.limits.awarenessPerSecond, this.limits.awarenessBurst)
			};
			this.#entries.set(key, entry);
		}
		entry.sockets++;
		const joined = entry;
		let released = false;
		return {
			awarenessBucket: joined.bucket,
			release: () => {
				if (released) return;
				released = true;
				joined.sockets--;
				// The bucket goes with the last socket; a reconnect starts with a full one, as before.
				if (joined.sockets === 0 && this.#entries.get(key) === joined) this.#entries.delete(key);
			}
		};
	}

	/** Sockets counted right now (tests). */
	sockets(boardId: string, userId: string): number {
		return this.#entries.get(`${boardId}\n${userId}`)?.sockets ?? 0;
	}
}
