/**
 * Keeps card objects stable across document changes. Columns are re-read once per document
 * change (not per card), and every card whose visible fields did not change keeps its previous
 * object, so Svelte skips it: typing in one card's title re-renders that card, not a thousand.
 */
import type { CardView } from '../document';
import { STAGES, type Stage } from '../stages';

export type Columns = Record<Stage, CardView[]>;

export function emptyColumns(): Columns {
	return Object.fromEntries(STAGES.map((stage) => [stage, []])) as unknown as Columns;
}

function sameCard(a: CardView, b: CardView): boolean {
	return (
		a.title === b.title &&
		a.description === b.description &&
		a.beneficiary === b.beneficiary &&
		a.stage === b.stage &&
		a.rank === b.rank &&
		a.movedAt === b.movedAt &&
		a.movedBy === b.movedBy &&
		a.cycle === b.cycle &&
		a.createdAt === b.createdAt &&
		a.createdBy === b.createdBy
	);
}

function sameList(a: readonly CardView[], b: readonly CardView[]): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

/** `next` with unchanged cards (and unchanged columns) replaced by their previous objects. */
export function reuseUnchanged(previous: Columns, next: Columns): Columns {
	const byId = new Map<string, CardView>();
	for (const stage of STAGES) for (const card of previous[stage]) byId.set(card.id, card);
	const result = {} as Columns;
	for (const stage of STAGES) {
		const column = next[stage].map((card) => {
			const before = byId.get(card.id);
			return before && sameCard(before, card) ? before : card;
		});
		result[stage] = sameList(previous[stage], column) ? previous[stage] : column;
	}
	return result;
}

export function findCard(
	columns: Columns,
	cardId: string
): { card: CardView; index: number } | null {
	for (const stage of STAGES) {
		const index = columns[stage].findIndex((card) => card.id === cardId);
		if (index !== -1) return { card: columns[stage][index]!, index };
	}
	return null;
}
