/**
 * The facts of every card that its face and the board's filters show (card-facts.ts), kept up to
 * date incrementally: only the cards a transaction touched are re-read, and a card whose facts did
 * not change keeps its entry, so its face does not re-render. One per board page, through context.
 */
import { getContext, setContext } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import type * as Y from 'yjs';
import { readCardFacts, sameFacts, type CardFacts } from '../card-facts';
import { cardsMap, observeCardChanges, settingsMap } from '../document';
import { readBeneficiaries, readLabels } from '../pdca';

const FACTS_KEY = Symbol('tillit.board-facts');

export class BoardFacts {
	readonly #doc: Y.Doc;
	readonly #facts = new SvelteMap<string, CardFacts>();
	readonly #stop: () => void;
	/** The board's labels (settings) and its beneficiaries (the list plus every card's). */
	labels = $state.raw<string[]>([]);
	beneficiaries = $state.raw<string[]>([]);

	constructor(doc: Y.Doc) {
		this.#doc = doc;
		cardsMap(doc).forEach((_card, id) => this.#update(id));
		this.#readLists();
		const stopCards = observeCardChanges(doc, (ids) => {
			let beneficiaryChanged = false;
			for (const id of ids) {
				const before = this.#facts.get(id)?.beneficiary;
				this.#update(id);
				if (this.#facts.get(id)?.beneficiary !== before) beneficiaryChanged = true;
			}
			if (beneficiaryChanged) this.#readLists();
		});
		const onSettings = () => this.#readLists();
		settingsMap(doc).observe(onSettings);
		this.#stop = () => {
			stopCards();
			settingsMap(doc).unobserve(onSettings);
		};
	}

	get(cardId: string): CardFacts | undefined {
		return this.#facts.get(cardId);
	}

	/** Owners named on the board's cards, by name (for the owner filter). */
	get owners(): { id: string; name: string }[] {
		// A throwaway lookup inside a getter, not state: nothing observes it.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		const owners = new Map<string, string>();
		for (const facts of this.#facts.values()) {
			if (facts.ownerId) owners.set(facts.ownerId, facts.ownerName ?? '');
		}
		return [...owners]
			.map(([id, name]) => ({ id, name }))
			.sort((a, b) => a.name.localeCompare(b.name));
	}

	destroy(): void {
		this.#stop();
	}

	#update(cardId: string): void {
		const next = readCardFacts(this.#doc, cardId);
		if (!next) {
			this.#facts.delete(cardId);
			return;
		}
		const before = this.#facts.get(cardId);
		if (!before || !sameFacts(before, next)) this.#facts.set(cardId, next);
	}

	#readLists(): void {
		const labels = readLabels(this.#doc);
		if (labels.join('\u0000') !== this.labels.join('\u0000')) this.labels = labels;
		const beneficiaries = readBeneficiaries(this.#doc);
		if (beneficiaries.join('\u0000') !== this.beneficiaries.join('\u0000'))
			this.beneficiaries = beneficiaries;
	}
}

export function setBoardFacts(facts: BoardFacts): BoardFacts {
	return setContext(FACTS_KEY, facts);
}

export function getBoardFacts(): BoardFacts {
	const facts = getContext<BoardFacts | undefined>(FACTS_KEY);
	if (!facts) throw new Error('getBoardFacts() called outside a board page');
	return facts;
}
