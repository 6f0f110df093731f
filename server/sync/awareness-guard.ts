/**
 * Bounds on awareness (presence): it is relayed to everyone on the board, so one connection must
 * not be able to flood it, grow it without limit, or speak for the server. Viewers may send
 * awareness too (a stand-up screen shows who is there), within the same bounds.
 */
import * as decoding from 'lib0/decoding';

export interface AwarenessEntry {
	clientId: number;
	clock: number;
	/** null announces that the client left. */
	state: unknown;
}

/**
 * Parses an awareness update (varuint count, then clientId, clock, JSON state per entry) without
 * applying it. Null when it is malformed, has trailing bytes or more than `maxEntries` entries.
 */
export function readAwarenessEntries(
	update: Uint8Array,
	maxEntries: number
): AwarenessEntry[] | null {
	try {
		const decoder = decoding.createDecoder(update);
		const count = decoding.readVarUint(decoder);
		if (count > maxEntries) return null;
		const entries: AwarenessEntry[] = [];
		for (let i = 0; i < count; i++) {
			const clientId = decoding.readVarUint(decoder);
			const clock = decoding.readVarUint(decoder);
			const state: unknown = JSON.parse(decoding.readVarString(decoder));
			if (state !== null && (typeof state !== 'object' || Array.isArray(state))) return null;
			entries.push({ clientId, clock, state });
		}
		if (decoding.hasContent(decoder)) return null;
		return entries;
	} catch {
		return null;
	}
}

/** A token bucket: `perSecond` refill, `burst` capacity. take() says whether one more may pass. */
export class TokenBucket {
	#tokens: number;
	#updatedAt: number;

	constructor(
		private readonly perSecond: number,
		private readonly burst: number,
		now: number = performance.now()
	) {
		this.#tokens = burst;
		this.#updatedAt = now;
	}

	take(now: number = performance.now()): boolean {
		const refill = ((now - this.#updatedAt) / 1000) * this.perSecond;
		this.#tokens = Math.min(this.burst, this.#tokens + refill);
		this.#updatedAt = now;
		if (this.#tokens < 1) return false;
		this.#tokens -= 1;
		return true;
	}
}
