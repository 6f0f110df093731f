/**
 * Board content for the scenarios, written in the exact shape of src/lib/board/document.ts (cards
 * in one map, stage + rank in one `place` key), but in bulk: document.ts's createCard reads the
 * whole column per card, which is right for a UI and quadratic for a 10,000-card fixture.
 *
 * Propagation stamps: the writer puts a sequence number into the moved card's `place` (an extra
 * field, which readPlace ignores), so observers read it from the same update that moves the card.
 */
import { generateNKeysBetween } from 'fractional-indexing';
import * as Y from 'yjs';
import { cardsMap, readCards, type CardPlace } from '../../src/lib/board/document';
import { FLOW_STAGES, type Stage } from '../../src/lib/board/stages';

export type StampedPlace = CardPlace & { benchSeq?: number };

/** Ranks to draw moves from (valid fractional-index keys, sorted). */
const RANK_POOL = generateNKeysBetween(null, null, 4096);

export function randomRank(): string {
	return RANK_POOL[Math.floor(Math.random() * RANK_POOL.length)]!;
}

export function randomStage(): Stage {
	return FLOW_STAGES[Math.floor(Math.random() * FLOW_STAGES.length)]!;
}

/**
 * Adds `count` cards in transactions of `batch` cards (each transaction is one update on the
 * wire, so a batch bounds the message size). Card ids are `${prefix}${n}`.
 */
export function seedCards(
	doc: Y.Doc,
	count: number,
	options: { userId: string; prefix?: string; batch?: number; onBatch?: () => void }
): string[] {
	const prefix = options.prefix ?? 'c';
	const batch = options.batch ?? 250;
	const ranks = generateNKeysBetween(null, null, count);
	const ids: string[] = [];
	const now = Date.now();
	for (let start = 0; start < count; start += batch) {
		doc.transact(() => {
			const cards = cardsMap(doc);
			for (let n = start; n < Math.min(count, start + batch); n++) {
				const id = `${prefix}${n}`;
				const card = new Y.Map<unknown>();
				card.set('id', id);
				card.set('title', new Y.Text(`Förbättring ${n}: kortare väntan vid inskrivning`));
				card.set('description', new Y.Text());
				card.set('beneficiary', 'Brukare i hemtjänsten');
				card.set('place', {
					stage: FLOW_STAGES[n % FLOW_STAGES.length]!,
					rank: ranks[n]!,
					movedAt: now,
					movedBy: options.userId
				} satisfies CardPlace);
				card.set('cycle', 1);
				card.set('createdAt', now);
				card.set('createdBy', options.userId);
				cards.set(id, card);
				ids.push(id);
			}
		});
		options.onBatch?.();
	}
	return ids;
}

/** Moves one card (one transaction, one `place` write), stamping `seq` when given. */
export function moveStamped(
	doc: Y.Doc,
	cardId: string,
	userId: string,
	seq?: number,
	stage: Stage = randomStage()
): void {
	const card = cardsMap(doc).get(cardId);
	if (!(card instanceof Y.Map)) throw new Error(`no card ${cardId}`);
	const place: StampedPlace = {
		stage,
		rank: randomRank(),
		movedAt: Date.now(),
		movedBy: userId,
		...(seq === undefined ? {} : { benchSeq: seq })
	};
	doc.transact(() => card.set('place', place));
}

/**
 * Calls `onStamp(seq)` whenever a remote update moves a card with a stamp (local moves are skipped). Returns the unsubscribe.
 */
export function observeStamps(doc: Y.Doc, onStamp: (seq: number) => void): () => void {
	const cards = cardsMap(doc);
	const handler = (events: Y.YEvent<Y.AbstractType<unknown>>[], transaction: Y.Transaction) => {
		if (transaction.local) return; // the writer's own move is not a delivery
		for (const event of events) {
			if (!(event.target instanceof Y.Map) || event.target === cards) continue;
			if (!(event as Y.YMapEvent<unknown>).keysChanged.has('place')) continue;
			const place = event.target.get('place') as StampedPlace | undefined;
			if (place && typeof place.benchSeq === 'number') onStamp(place.benchSeq);
		}
	};
	cards.observeDeep(handler);
	return () => cards.unobserveDeep(handler);
}

/** A stable digest of what a replica shows: every card's id, stage, rank and title, sorted. */
export function boardDigest(doc: Y.Doc): string {
	return JSON.stringify(
		readCards(doc)
			.map((card) => [card.id, card.stage, card.rank, card.title])
			.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0))
	);
}
