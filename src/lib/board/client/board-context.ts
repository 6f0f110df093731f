/**
 * The open board is shared with the page's components through Svelte context, not a module
 * singleton: on the server one module instance renders every person's page.
 */
import { getContext, setContext } from 'svelte';
import type { LiveBoard } from './live-board.svelte';

const BOARD_KEY = Symbol('tillit.live-board');

export function setBoardContext(board: LiveBoard): LiveBoard {
	return setContext(BOARD_KEY, board);
}

export function getBoardContext(): LiveBoard {
	const board = getContext<LiveBoard | undefined>(BOARD_KEY);
	if (!board) throw new Error('getBoardContext() called outside a board page');
	return board;
}
