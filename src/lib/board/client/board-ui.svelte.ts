/**
 * What the board page shows around the document: which card is open, the message a screen reader
 * should hear, a visible notice (e.g. a refused move), and the large-text preference. One per
 * page, shared through context like the LiveBoard.
 */
import { getContext, setContext } from 'svelte';
import type { Missing } from '../lifecycle';
import type { Stage } from '../stages';

const LARGE_TYPE_KEY = 'tillit:large-type';
const UI_KEY = Symbol('tillit.board-ui');

export class BoardUi {
	openCardId = $state<string | null>(null);
	/** Polite screen-reader announcement (moves, additions). */
	announcement = $state('');
	/** A visible notice that needs attention (refusals); null when there is none. */
	notice = $state<string | null>(null);
	largeType = $state(false);
	/** A move a manager may still make by passing its stage gate with a reason. */
	pendingOverride = $state.raw<{
		cardId: string;
		title: string;
		stage: Stage;
		index: number;
		missing: Missing[];
	} | null>(null);
	#announceToggle = false;

	/** Reads the stored preference (browser only). */
	restore(): void {
		try {
			this.largeType = localStorage.getItem(LARGE_TYPE_KEY) === '1';
		} catch {
			this.largeType = false;
		}
	}

	setLargeType(on: boolean): void {
		this.largeType = on;
		try {
			localStorage.setItem(LARGE_TYPE_KEY, on ? '1' : '0');
		} catch {
			// The preference just does not survive a reload.
		}
	}

	announce(text: string): void {
		// Screen readers skip a live region whose text did not change; a trailing no-break space
		// on every other call makes a repeated message ("moved up", "moved up") count as new.
		this.#announceToggle = !this.#announceToggle;
		this.announcement = this.#announceToggle ? text : `${text}\u00a0`;
	}

	showNotice(text: string): void {
		this.notice = text;
		this.announce(text);
	}

	dismissNotice(): void {
		this.notice = null;
	}
}

export function setBoardUi(ui: BoardUi): BoardUi {
	return setContext(UI_KEY, ui);
}

export function getBoardUi(): BoardUi {
	const ui = getContext<BoardUi | undefined>(UI_KEY);
	if (!ui) throw new Error('getBoardUi() called outside a board page');
	return ui;
}
