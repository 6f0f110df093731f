/**
 * Bounds on awareness (presence): it is relayed to everyone on the board, so one connection must
 * not be able to flood it, grow it without limit, or speak for the server. Viewers may send
 * awareness too (a stand-up screen shows who is there), within the same bounds.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import {
	colourForUser,
	STANDUP_WALK_FIELD,
	type PresenceState
} from '../../src/lib/board/client/presence';
import { cleanText, isDocumentId } from '../../src/lib/board/limits';

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

/** Who a connection is, as the session says: the only source of a presence's identity. */
export interface PresenceIdentity {
	userId: string;
	userName: string;
}

/**
 * The presence a connection may show: its own user's id, name and colour from the session, whatever
 * the client claimed, plus the fields the client decides (which card it edits, where its stand-up
 * walk is). Anything else the client put in its state is not relayed.
 */
export function ownPresence(state: object, identity: PresenceIdentity): PresenceState {
	const editing: unknown = 'editing' in state ? state.editing : null;
	return {
		user: {
			id: identity.userId,
			name: cleanText(identity.userName, 100),
			colour: colourForUser(identity.userId)
		},
		editing: isDocumentId(editing) ? editing : null,
		...ownWalk(state)
	};
}

/** The stand-up walk's position, kept only when it is a card id and a counter. */
function ownWalk(state: object): Pick<PresenceState, typeof STANDUP_WALK_FIELD> {
	const walk: unknown = (state as Record<string, unknown>)[STANDUP_WALK_FIELD];
	if (typeof walk !== 'object' || walk === null) return {};
	const { cardId, seq } = walk as Record<string, unknown>;
	if (!isDocumentId(cardId) || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
		return {};
	}
	return { [STANDUP_WALK_FIELD]: { cardId, seq } };
}

/**
 * Whether `entry` would change `awareness` (y-protocols' own rule in applyAwarenessUpdate): a
 * newer clock, or a removal at the same clock of a state that is there.
 */
export function isNewerAwareness(
	awareness: { meta: Map<number, { clock: number }>; states: Map<number, unknown> },
	entry: AwarenessEntry
): boolean {
	const current = awareness.meta.get(entry.clientId)?.clock ?? 0;
	return (
		current < entry.clock ||
		(current === entry.clock && entry.state === null && awareness.states.has(entry.clientId))
	);
}

/** The inverse of readAwarenessEntries. */
export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const entry of entries) {
		encoding.writeVarUint(encoder, entry.clientId);
		encoding.writeVarUint(encoder, entry.clock);
		encoding.writeVarString(encoder, JSON.stringify(entry.state));
	}
	return encoding.toUint8Array(encoder);
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
