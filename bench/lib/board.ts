/**
 * Board content for the scenarios, written in bulk (document.ts's createCard reads the column per
 * card, which is right for a UI and slow for a 10,000-card fixture).
 *
 * Cards have document.ts's shape plus the few PDCA facts below. Every card carries what the
 * lifecycle gates ask for (problem, beneficiary, a dialogue goal, a
 * result, an "adopt" decision, an end reason, the standard written out with owner and review date), and moves go only between stages that need nothing
 * more (never into or out of Act), so the server accepts every move as the peers do: Tillit undoes
 * a move that misses its gate, which would be a different workload, not a slower one.
 *
 * Propagation stamps: the writer puts a sequence number into the moved card's `place` (an extra
 * field, which readPlace ignores), so observers read it from the same update that moves the card.
 */
import { generateNKeysBetween } from 'fractional-indexing';
import * as Y from 'yjs';
import { cardsMap, readCards, type CardPlace } from '../../src/lib/board/document';
import { gateFacts, readCardDetail } from '../../src/lib/board/pdca';
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
		/** Give each card what the lifecycle gates need (default true; only moved cards need it). */
		gateFacts?: boolean;
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
				if (options.gateFacts !== false)
					documentForGates(card, { id: options.userId, name: 'Bench' }, now);
				cards.set(id, card);
				ids.push(id);
			}
		});
		options.onBatch?.();
	}
	return ids;
}

/**
 * Just what the lifecycle gates read (pdca.ts gateFacts), in the smallest valid shape: plain
 * strings where the UI would put Y.Text (pdca.ts reads either), and one cycle map. The UI's full
 * structure (initCardDetail: empty texts and maps for every section) triples the document, and
 * S1 holds 101 replicas of a 1,000-card board in one client process.
 */
function documentForGates(
	card: Y.Map<unknown>,
	person: { id: string; name: string },
	now: number
): void {
	card.set('problem', 'Lång väntan.');
	card.set('endReason', 'Ersatt.');
	const cycles = new Y.Map<unknown>();
	const first = new Y.Map<unknown>();
	first.set('dialogue', { question: 'Välkomna?', withWhom: '' });
	first.set('result', 'Kortare.');
	first.set('decision', {
		kind: 'adopt',
		reasons: 'Nått.',
		by: person,
		at: now,
		decidedAnyway: null,
		inputs: []
	});
	cycles.set('1', first);
	card.set('cycles', cycles);
	const standard = new Y.Map<unknown>();
	standard.set('text', 'Så gör vi.');
	standard.set('owner', person);
	standard.set('reviewDate', '2027-06-01');
	card.set('standard', standard);
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

/** The gate facts of a seeded card, read back through pdca.ts (a self-check of the fixture). */
export function seededGateFacts(doc: Y.Doc, cardId: string) {
	const detail = readCardDetail(doc, cardId);
	return detail ? gateFacts(detail) : null;
}
