/**
 * A card's whole content as plain data, and back. Yjs has no undelete: once a card's Y.Map is
 * deleted its content is gone from the document, so whatever must bring a card back (the trash,
 * the mass-deletion guard, a version restore, an import) copies it out while it still exists and
 * later builds a NEW Y.Map with the same content under the same id.
 *
 * The copy is a tagged tree, so texts stay shared texts (two people can type in them again) and
 * nested maps stay maps (keyed lists merge, document.ts / pdca.ts). Map entries are pairs, not
 * object keys, so a key like `__proto__` is data, never a prototype. Framework-free.
 */
import * as Y from 'yjs';
import { cardsMap } from './document';

export type CardNode =
	| { t: 'map'; e: [string, CardNode][] }
	| { t: 'array'; i: CardNode[] }
	| { t: 'text'; s: string }
	| { t: 'value'; v: unknown };

/** Deeper than any card the app writes (card → cycles → cycle → actions → action is 4). */
const MAX_DEPTH = 16;

export function copyNode(value: unknown): CardNode {
	if (value instanceof Y.Text) return { t: 'text', s: value.toString() };
	if (value instanceof Y.Map) {
		const e: [string, CardNode][] = [];
		value.forEach((child: unknown, key: string) => e.push([key, copyNode(child)]));
		e.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return { t: 'map', e };
	}
	if (value instanceof Y.Array) return { t: 'array', i: value.toArray().map(copyNode) };
	if (value instanceof Y.AbstractType) return { t: 'value', v: value.toJSON() };
	return { t: 'value', v: value === undefined ? null : value };
}

/** The card's content, or null when there is no such card. */
export function copyCard(doc: Y.Doc, cardId: string): CardNode | null {
	const card = cardsMap(doc).get(cardId);
	return card instanceof Y.Map ? copyNode(card) : null;
}

/** A new Yjs value (or plain value) holding `node`'s content. */
export function build(node: CardNode): unknown {
	switch (node.t) {
		case 'text':
			return new Y.Text(node.s);
		case 'map': {
			const map = new Y.Map<unknown>();
			for (const [key, child] of node.e) map.set(key, build(child));
			return map;
		}
		case 'array': {
			const array = new Y.Array<unknown>();
			array.push(node.i.map(build));
			return array;
		}
		case 'value':
			return node.v;
	}
}

/** Puts `node` (a card's copy) into the document as card `cardId`, replacing what is there. */
export function writeCard(doc: Y.Doc, cardId: string, node: CardNode): void {
	if (node.t !== 'map') return;
	cardsMap(doc).set(cardId, build(node) as Y.Map<unknown>);
}

/** Validates stored or received data as a card copy (null when it is not one). */
export function parseCardNode(value: unknown, depth = 0): CardNode | null {
	if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return null;
	const node = value as Record<string, unknown>;
	switch (node.t) {
		case 'text':
			return typeof node.s === 'string' ? { t: 'text', s: node.s } : null;
		case 'value':
			return Object.hasOwn(node, 'v') ? { t: 'value', v: node.v } : null;
		case 'array': {
			if (!Array.isArray(node.i)) return null;
			const items: CardNode[] = [];
			for (const item of node.i) {
				const parsed = parseCardNode(item, depth + 1);
				if (!parsed) return null;
				items.push(parsed);
			}
			return { t: 'array', i: items };
		}
		case 'map': {
			if (!Array.isArray(node.e)) return null;
			const entries: [string, CardNode][] = [];
			for (const entry of node.e) {
				if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string')
					return null;
				const parsed = parseCardNode(entry[1], depth + 1);
				if (!parsed) return null;
				entries.push([entry[0], parsed]);
			}
			return { t: 'map', e: entries };
		}
		default:
			return null;
	}
}

/** The title a copy holds (for trash and previews), '' when it has none. */
export function titleOf(node: CardNode): string {
	if (node.t !== 'map') return '';
	const title = node.e.find(([key]) => key === 'title')?.[1];
	if (title?.t === 'text') return title.s;
	if (title?.t === 'value' && typeof title.v === 'string') return title.v;
	return '';
}
