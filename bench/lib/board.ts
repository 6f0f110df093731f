/**
 * Board content for the scenarios, written in the exact shape the app writes (document.ts's card
 * plus pdca.ts's structure, as the UI's createCard + initCardDetail leave it), but in bulk:
 * document.ts's createCard reads the column per card, which is right for a UI and slow for a
 * 10,000-card fixture.
 *
 * Every card carries what the lifecycle gates ask for (problem, beneficiary, a dialogue goal, a
 * result, an "adopt" decision, an end reason), and moves go only between stages that need nothing
 * more (never into or out of Act), so the server accepts every move as the peers do: Tillit undoes
 * a move that misses its gate, which would be a different workload, not a slower one.
 *
 * Propagation stamps: the writer puts a sequence number into the moved card's `place` (an extra
 * field, which readPlace ignores), so observers read it from the same update that moves the card.
 */
import { generateNKeysBetween } from 'fractional-indexing';
import * as Y from 'yjs';
import { cardsMap, readCards, type CardPlace } from '../../src/lib/board/document';
import {
	cardDetailText,
	cycleText,
	initCardDetail,
	setCardField,
	setCycleField
} from '../../src/lib/board/pdca';
import type { Stage } from '../../src/lib/board/stages';

/** Stages a fully documented card may move between in any direction (see above). */
export const FREE_STAGES = ['proposed', 'plan', 'do', 'check', 'standard', 'parked'] as const;

export type StampedPlace = CardPlace & { benchSeq?: number };

/** Ranks to draw moves from (valid fractional-index keys, sorted). */
const RANK_POOL = generateNKeysBetween(null, null, 4096);

export function randomRank(): string {
	return RANK_POOL[Math.floor(Math.random() * RANK_POOL.length)]!;
}

export function randomStage(): Stage {
	return FREE_STAGES[Math.floor(Math.random() * FREE_STAGES.length)]!;
}

/**
 * Adds `count` cards in transactions of `batch` cards (each transaction is one update on the
 * wire, so a batch bounds the message size). Card ids are `${prefix}${n}`.
 */
export function seedCards(
	doc: Y.Doc,
	count: number,
	options: {
		userId: string;
		prefix?: string;
		batch?: number;
		onBatch?: () => void;
		/** Stages to deal the cards over (default: FREE_STAGES). */
		stages?: readonly Stage[];
	}
): string[] {
	const stages = options.stages ?? FREE_STAGES;
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
					stage: stages[n % stages.length]!,
					rank: ranks[n]!,
					movedAt: now,
					movedBy: options.userId
				} satisfies CardPlace);
				card.set('cycle', 1);
				card.set('createdAt', now);
				card.set('createdBy', options.userId);
				cards.set(id, card);
				documentForGates(doc, id, { id: options.userId, name: 'Bench' }, now);
				ids.push(id);
			}
		});
		options.onBatch?.();
	}
	return ids;
}

/** The PDCA structure the UI adds to a new card, filled so that every gate outside Act passes. */
function documentForGates(
	doc: Y.Doc,
	cardId: string,
	person: { id: string; name: string },
	now: number
): void {
	initCardDetail(doc, cardId, person);
	cardDetailText(doc, cardId, 'problem')?.insert(0, 'Brukarna väntar för länge på första besöket.');
	setCycleField(doc, cardId, 1, {
		key: 'dialogue',
		value: { question: 'Känner sig brukarna välkomna?', withWhom: 'Brukarråd' }
	});
	cycleText(doc, cardId, 1, 'result')?.insert(0, 'Väntan kortades från 9 till 4 dagar.');
	setCycleField(doc, cardId, 1, {
		key: 'decision',
		value: {
			kind: 'adopt',
			reasons: 'Målet nåddes.',
			by: person,
			at: now,
			decidedAnyway: null,
			inputs: []
		}
	});
	setCardField(doc, cardId, { key: 'endReason', value: 'Ersatt av en bättre idé.' });
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
