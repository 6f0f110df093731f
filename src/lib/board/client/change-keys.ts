/**
 * What a local transaction changed, as keys a person would count: "card 7's title", "card 7's
 * planned action a1", "the board's WIP limits". Typing fifty letters into a title is one change;
 * moving a card is one change (its place); adding a card is one change (the card). The unsaved
 * counter (pending-changes.ts) counts distinct keys.
 */
import * as Y from 'yjs';
import { cardsMap, settingsMap } from '../document';

/** The keys of the fields `transaction` changed under the board's cards and settings. */
export function changeKeys(doc: Y.Doc, transaction: Y.Transaction): string[] {
	const cards = cardsMap(doc);
	const settings = settingsMap(doc);
	const keys = new Set<string>();
	for (const [type, changedKeys] of transaction.changed) {
		if (Object.is(type, cards)) {
			// A card added or removed: the card itself.
			for (const key of changedKeys) if (key !== null) keys.add(`card:${key}`);
			continue;
		}
		if (Object.is(type, settings)) {
			for (const key of changedKeys) if (key !== null) keys.add(`settings:${key}`);
			continue;
		}
		const path = pathUnderCard(type, cards);
		if (!path) continue;
		const [cardId, ...fields] = path;
		// A card created in this transaction counts once, as the card.
		if (keys.has(`card:${cardId}`)) continue;
		const named = [...changedKeys].filter((key): key is string => key !== null);
		if (type instanceof Y.Map && named.length > 0) {
			for (const key of named) keys.add(['card', cardId, ...fields, key].join(':'));
		} else {
			keys.add(['card', cardId, ...fields].join(':'));
		}
	}
	return [...keys];
}

/** [cardId, field, subfield …] from the card down to `type`; null outside the cards map. */
// Yjs's generic parameters of AbstractType do not line up between its maps and the changed
// types of a transaction; only the identity and the `_item` links matter here.
function pathUnderCard(type: { _item: Y.Item | null }, cards: unknown): string[] | null {
	const path: string[] = [];
	let current = type;
	for (let depth = 0; depth < 16; depth++) {
		const item = current._item;
		if (!item || !(item.parent instanceof Y.AbstractType)) return null;
		// Inside an array an element has no key; its place in the array is not a field name.
		path.unshift(item.parentSub ?? '#');
		if (Object.is(item.parent, cards)) return path;
		current = item.parent;
	}
	return null;
}
