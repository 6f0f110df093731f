/**
 * What a card's face and the board's filters need beyond its place and title (DESIGN.md §2): whom
 * it is for, its owner and labels, its follow-up date, its cycle, whether it asks for support, who
 * still owes input, and its votes. Read without touching long texts, so the board can re-read the
 * facts of every changed card on each document change. Shared by client and server (framework-free).
 */
import * as Y from 'yjs';
import { cardsMap, readCardMove } from './document';
import { readCardSummary } from './pdca';

export interface CardFacts {
	beneficiary: string;
	ownerId: string | null;
	ownerName: string | null;
	labels: string[];
	/** 'YYYY-MM-DD' or null. */
	followUp: string | null;
	/** 'YYYY-MM-DD' or null: when the card is due. */
	due: string | null;
	/** The current cycle's planned actions: how many there are, and how many are done. */
	actionsTotal: number;
	actionsDone: number;
	comments: number;
	cycle: number;
	/** An open "needs support" request. */
	needsSupport: boolean;
	/** The people affected who have not given input in the current cycle. */
	pendingInputIds: string[];
	votes: number;
}

/** The facts of one card; null when there is no such card. */
export function readCardFacts(doc: Y.Doc, cardId: string): CardFacts | null {
	const summary = readCardSummary(doc, cardId);
	const move = readCardMove(doc, cardId);
	const card = cardsMap(doc).get(cardId);
	if (!summary || !move || !card) return null;
	const beneficiary = card.get('beneficiary');
	const votes = card.get('votes');
	const comments = card.get('comments');
	const actions = currentActions(card, move.cycle);
	return {
		beneficiary: typeof beneficiary === 'string' ? beneficiary.trim() : '',
		ownerId: summary.owner?.id ?? null,
		ownerName: summary.owner?.name ?? null,
		labels: summary.labels,
		followUp: summary.followUp,
		due: summary.due,
		actionsTotal: actions.total,
		actionsDone: actions.done,
		comments: comments instanceof Y.Map ? comments.size : 0,
		cycle: move.cycle,
		needsSupport: summary.support?.open === true,
		pendingInputIds: summary.pendingInputIds,
		votes: votes instanceof Y.Map ? votes.size : 0
	};
}

/** Counts the current cycle's planned actions without reading any text (the face shows "2/3"). */
function currentActions(card: Y.Map<unknown>, cycle: number): { total: number; done: number } {
	const cycles = card.get('cycles');
	const current = cycles instanceof Y.Map ? cycles.get(String(cycle)) : null;
	const actions = current instanceof Y.Map ? current.get('actions') : null;
	let total = 0;
	let done = 0;
	if (actions instanceof Y.Map) {
		for (const action of actions.values()) {
			// Counted as the panel lists them: an action without text is no action.
			if (typeof action !== 'object' || action === null || !('text' in action)) continue;
			if (typeof action.text !== 'string' || !action.text.trim()) continue;
			total++;
			if ('done' in action && action.done === true) done++;
		}
	}
	return { total, done };
}

export function sameFacts(a: CardFacts, b: CardFacts): boolean {
	return (
		a.beneficiary === b.beneficiary &&
		a.ownerId === b.ownerId &&
		a.ownerName === b.ownerName &&
		a.followUp === b.followUp &&
		a.due === b.due &&
		a.actionsTotal === b.actionsTotal &&
		a.actionsDone === b.actionsDone &&
		a.comments === b.comments &&
		a.cycle === b.cycle &&
		a.needsSupport === b.needsSupport &&
		a.votes === b.votes &&
		a.labels.join('\u0000') === b.labels.join('\u0000') &&
		a.pendingInputIds.join('\u0000') === b.pendingInputIds.join('\u0000')
	);
}
