/**
 * The board's filters (beneficiary, label, owner, overdue follow-up, waiting for my input), kept in
 * the URL's query so a stand-up screen can bookmark a filtered board. Pure functions: the filter
 * bar reads and writes the query through them, the columns show what `filterColumns` keeps.
 *
 * The definitions match the follow-up lists (src/lib/server/follow-up.ts): a follow-up is overdue
 * when its date is before today and the card is still in the flow (Proposed to Act); a card waits
 * for my input when I am named as affected, have not answered in its current cycle, and it is in
 * Check or Act, where the decision is prepared.
 */
import type { CardFacts } from '../card-facts';
import type { CardView } from '../document';
import { STAGES, type Stage } from '../stages';
import type { Columns } from './card-views';

export interface BoardFilters {
	beneficiary: string | null;
	label: string | null;
	/** A user id, or NO_OWNER for cards nobody owns. */
	owner: string | null;
	overdue: boolean;
	waitingForMe: boolean;
}

export const NO_OWNER = 'none';

/** Query parameter names: short, readable in a bookmarked address. */
export const FILTER_PARAMS = {
	beneficiary: 'for',
	label: 'label',
	owner: 'owner',
	overdue: 'overdue',
	waitingForMe: 'waiting'
} as const;

const VALUE_MAX = 200;
const OVERDUE_STAGES: readonly Stage[] = ['proposed', 'plan', 'do', 'check', 'act'];
const INPUT_STAGES: readonly Stage[] = ['check', 'act'];

export const NO_FILTERS: BoardFilters = {
	beneficiary: null,
	label: null,
	owner: null,
	overdue: false,
	waitingForMe: false
};

function text(params: URLSearchParams, name: string): string | null {
	const value = params.get(name)?.trim() ?? '';
	return value && value.length <= VALUE_MAX ? value : null;
}

function flag(params: URLSearchParams, name: string): boolean {
	const value = params.get(name);
	return value === '1' || value === 'true';
}

/** The filters in a query string; anything malformed counts as "no filter". */
export function parseFilters(params: URLSearchParams): BoardFilters {
	return {
		beneficiary: text(params, FILTER_PARAMS.beneficiary),
		label: text(params, FILTER_PARAMS.label),
		owner: text(params, FILTER_PARAMS.owner),
		overdue: flag(params, FILTER_PARAMS.overdue),
		waitingForMe: flag(params, FILTER_PARAMS.waitingForMe)
	};
}

/** `params` with the filters written in (empty ones removed); other parameters are kept. */
export function withFilters(params: URLSearchParams, filters: BoardFilters): URLSearchParams {
	const next = new URLSearchParams(params);
	const set = (name: string, value: string | null) => {
		if (value) next.set(name, value);
		else next.delete(name);
	};
	set(FILTER_PARAMS.beneficiary, filters.beneficiary?.trim() || null);
	set(FILTER_PARAMS.label, filters.label?.trim() || null);
	set(FILTER_PARAMS.owner, filters.owner?.trim() || null);
	set(FILTER_PARAMS.overdue, filters.overdue ? '1' : null);
	set(FILTER_PARAMS.waitingForMe, filters.waitingForMe ? '1' : null);
	return next;
}

export function activeFilterCount(filters: BoardFilters): number {
	return (
		(filters.beneficiary ? 1 : 0) +
		(filters.label ? 1 : 0) +
		(filters.owner ? 1 : 0) +
		(filters.overdue ? 1 : 0) +
		(filters.waitingForMe ? 1 : 0)
	);
}

/** Today in the person's own time zone, as 'YYYY-MM-DD' (how follow-up dates are written). */
export function localDate(now: Date): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function isFollowUpOverdue(followUp: string | null, stage: Stage, today: string): boolean {
	return followUp !== null && followUp < today && OVERDUE_STAGES.includes(stage);
}

export function isWaitingForInput(
	facts: CardFacts | undefined,
	stage: Stage,
	userId: string
): boolean {
	return !!facts && INPUT_STAGES.includes(stage) && facts.pendingInputIds.includes(userId);
}

export interface FilterContext {
	userId: string;
	today: string;
}

export function cardMatches(
	card: Pick<CardView, 'stage' | 'beneficiary'>,
	facts: CardFacts | undefined,
	filters: BoardFilters,
	context: FilterContext
): boolean {
	const beneficiary = (facts?.beneficiary ?? card.beneficiary).trim();
	if (
		filters.beneficiary &&
		beneficiary.toLocaleLowerCase() !== filters.beneficiary.toLocaleLowerCase()
	)
		return false;
	if (filters.label && !(facts?.labels ?? []).includes(filters.label)) return false;
	if (filters.owner) {
		const owner = facts?.ownerId ?? null;
		if (filters.owner === NO_OWNER ? owner !== null : owner !== filters.owner) return false;
	}
	if (filters.overdue && !isFollowUpOverdue(facts?.followUp ?? null, card.stage, context.today))
		return false;
	if (filters.waitingForMe && !isWaitingForInput(facts, card.stage, context.userId)) return false;
	return true;
}

export interface FilteredColumns {
	columns: Columns;
	shown: number;
	total: number;
}

/**
 * The columns with only the cards that pass. Without active filters the very same columns come
 * back (no copies), so an unfiltered board renders exactly as before.
 */
export function filterColumns(
	columns: Columns,
	factsOf: (cardId: string) => CardFacts | undefined,
	filters: BoardFilters,
	context: FilterContext
): FilteredColumns {
	let total = 0;
	for (const stage of STAGES) total += columns[stage].length;
	if (activeFilterCount(filters) === 0) return { columns, shown: total, total };
	const result = {} as Columns;
	let shown = 0;
	for (const stage of STAGES) {
		result[stage] = columns[stage].filter((card) =>
			cardMatches(card, factsOf(card.id), filters, context)
		);
		shown += result[stage].length;
	}
	return { columns: result, shown, total };
}

/**
 * Where a card moved within a filtered column lands in the whole column. `visibleAfterMove` is the
 * filtered column as the person sees it after the move (the card at its new place); the card goes
 * just before its next visible neighbour, or just after its previous one, so hidden cards keep
 * their places. Returns an index among the whole column's other cards (what LiveBoard.moveCard takes).
 */
export function documentIndexForVisibleMove(
	fullColumn: readonly { id: string }[],
	visibleAfterMove: readonly { id: string }[],
	cardId: string
): number {
	const others = fullColumn.filter((card) => card.id !== cardId);
	const at = visibleAfterMove.findIndex((card) => card.id === cardId);
	if (at === -1) return others.length;
	const next = visibleAfterMove[at + 1];
	if (next) {
		const index = others.findIndex((card) => card.id === next.id);
		if (index !== -1) return index;
	}
	const previous = at > 0 ? visibleAfterMove[at - 1] : undefined;
	if (previous) {
		const index = others.findIndex((card) => card.id === previous.id);
		if (index !== -1) return index + 1;
	}
	return others.length;
}
