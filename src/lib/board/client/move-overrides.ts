/**
 * "A merge undid what I just did": remembers this person's recent moves and notices when a change
 * from someone else (typically an offline one arriving late — Yjs keeps one of two concurrent
 * writes of a card's place, not the later one) puts the card somewhere else. The board then shows
 * a short notice on the card ("moved back to Plan by Maja's offline change") instead of the card
 * silently jumping. Plain logic; live-board.svelte.ts holds the reactive list.
 */
import type { Stage } from '../stages';

/** A move of ours counts as "just done" this long. */
export const RECENT_MOVE_MS = 15 * 60_000;

export interface CardPlaceNow {
	stage: Stage;
	movedBy: string;
}

export interface MoveOverride {
	cardId: string;
	/** Where the card is now. */
	stage: Stage;
	/** Who put it there (a user id). */
	byUserId: string;
}

export class MoveOverrideWatch {
	readonly #userId: string;
	readonly #now: () => number;
	readonly #recent = new Map<string, { stage: Stage; at: number }>();

	constructor(userId: string, now: () => number = () => Date.now()) {
		this.#userId = userId;
		this.#now = now;
	}

	/** This person moved `cardId` to `stage`. */
	moved(cardId: string, stage: Stage): void {
		this.#recent.set(cardId, { stage, at: this.#now() });
	}

	/** Our own undo or redo puts places back that others wrote: none of it is an override. */
	forgetAll(): void {
		this.#recent.clear();
	}

	/**
	 * After a change: the recent moves of ours that someone else's change overrode (each reported
	 * once). `placeOf` reads a card's place now (null: the card is gone).
	 */
	check(placeOf: (cardId: string) => CardPlaceNow | null): MoveOverride[] {
		const overrides: MoveOverride[] = [];
		const now = this.#now();
		for (const [cardId, mine] of this.#recent) {
			const place = placeOf(cardId);
			if (!place || now - mine.at > RECENT_MOVE_MS) {
				this.#recent.delete(cardId);
				continue;
			}
			if (place.stage === mine.stage) continue;
			this.#recent.delete(cardId);
			// Our own undo, or the server putting a refused move back (it says why itself).
			if (place.movedBy === this.#userId || place.movedBy === '') continue;
			overrides.push({ cardId, stage: place.stage, byUserId: place.movedBy });
		}
		return overrides;
	}
}
