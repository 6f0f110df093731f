/**
 * The board's filters as page state: read from the URL's query (so a stand-up screen can bookmark
 * a filtered board), written back without a navigation, and applied to the live columns. Moves in
 * a filtered column are placed relative to the visible neighbours (documentIndexForVisibleMove),
 * so hidden cards keep their places. One per board page, through context.
 */
import { getContext, setContext } from 'svelte';
import type { BoardFacts } from '$lib/board/client/board-facts.svelte';
import {
	activeFilterCount,
	documentIndexForVisibleMove,
	filterColumns,
	localDate,
	parseFilters,
	withFilters,
	type BoardFilters,
	type FilteredColumns
} from '$lib/board/client/card-filters';
import type { LiveBoard } from '$lib/board/client/live-board.svelte';
import type { Stage } from '$lib/board/stages';
import type { BoardAddress } from './board-address.svelte';
import { urlWithQuery } from './card-route';

const FILTERS_KEY = Symbol('tillit.board-filters');

export class BoardFilterState {
	readonly #live: LiveBoard;
	readonly #address: BoardAddress;
	/** Today when the page opened; a stand-up screen left on overnight is reloaded anyway. */
	// A one-off reading of the clock, not state.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly today = localDate(new Date());

	readonly filters: BoardFilters;
	readonly active: number;
	readonly result: FilteredColumns;

	constructor(live: LiveBoard, facts: BoardFacts, address: BoardAddress) {
		this.#live = live;
		this.#address = address;
		this.filters = $derived(parseFilters(address.url.searchParams));
		this.active = $derived(activeFilterCount(this.filters));
		this.result = $derived(
			filterColumns(live.columns, (id) => facts.get(id), this.filters, {
				userId: live.user.id,
				today: this.today
			})
		);
	}

	/** Writes the filters into the address (no navigation, no new history entry). */
	set(filters: BoardFilters): void {
		const url = this.#address.url;
		this.#address.replace(urlWithQuery(url, withFilters(url.searchParams, filters)));
	}

	/**
	 * The place in the whole column for a card put at `visibleIndex` of the column as shown (the
	 * card itself left out of the count), e.g. "one up" in a filtered column.
	 */
	toDocumentIndex(stage: Stage, cardId: string, visibleIndex: number): number {
		const visible = this.result.columns[stage].filter((card) => card.id !== cardId);
		const at = Math.max(0, Math.min(visibleIndex, visible.length));
		const after = [...visible.slice(0, at), { id: cardId }, ...visible.slice(at)];
		return documentIndexForVisibleMove(this.#live.columns[stage], after, cardId);
	}
}

export function setBoardFilters(state: BoardFilterState): BoardFilterState {
	return setContext(FILTERS_KEY, state);
}

export function getBoardFilters(): BoardFilterState {
	const state = getContext<BoardFilterState | undefined>(FILTERS_KEY);
	if (!state) throw new Error('getBoardFilters() called outside a board page');
	return state;
}
