/**
 * A loaded board's projection rows: which cards changed since the last commit, and their rows
 * when the writer takes its next batch. Only the cards an update touched (the Yjs transaction's
 * changed keys) are read, never the whole board; a large batch (a 10,000-card import, a bulk
 * move) is projected in slices with a yield between them, so no other board waits behind it.
 */
import type * as Y from 'yjs';
import { cardsMap, readCard } from '../../board/document';
import { readCardSummary } from '../../board/pdca';
import { projectRow, type ProjectedRow } from './facts';
import type { RecordedStage } from './stage-events';

/** Cards projected between two yields to the event loop (~1 ms of work each slice). */
const CARDS_PER_SLICE = 200;

export interface ProjectionChanges {
	upserts: ProjectedRow[];
	deletedCardIds: string[];
	/** Which cards these changes cover (to mark them changed again if the commit fails). */
	cardIds: string[];
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class CardProjector {
	readonly #changed = new Set<string>();

	constructor(
		private readonly doc: Y.Doc,
		/** The room's last recorded stage per card (when each card entered its stage). */
		private readonly lastRecorded: ReadonlyMap<string, RecordedStage>,
		private readonly now: () => number
	) {}

	markChanged(cardIds: Iterable<string>): void {
		for (const id of cardIds) this.#changed.add(id);
	}

	/**
	 * The rows of every card changed since the last call. A card changed again while a slice
	 * yields is marked anew, so the next commit carries its newer row.
	 */
	async take(): Promise<ProjectionChanges> {
		const cardIds = [...this.#changed];
		this.#changed.clear();
		const upserts: ProjectedRow[] = [];
		const deletedCardIds: string[] = [];
		for (let start = 0; start < cardIds.length; start += CARDS_PER_SLICE) {
			if (start > 0) await yieldToEventLoop();
			const now = this.now();
			const cards = cardsMap(this.doc);
			for (const id of cardIds.slice(start, start + CARDS_PER_SLICE)) {
				const card = readCard(id, cards.get(id));
				if (!card) {
					deletedCardIds.push(id);
					continue;
				}
				upserts.push(
					projectRow({
						card,
						summary: readCardSummary(this.doc, id),
						stageEnteredAt: this.lastRecorded.get(id)?.at ?? now,
						now
					})
				);
			}
		}
		return { upserts, deletedCardIds, cardIds };
	}

	/** The commit carrying `changes` failed: they are taken again next time. */
	restore(changes: ProjectionChanges): void {
		this.markChanged(changes.cardIds);
	}
}
