/**
 * What the board page shows around the document: which card is open, the message a screen reader
 * should hear, a visible notice (e.g. a refused move), and the large-text preference. One per
 * page, shared through context like the LiveBoard.
 */
import { getContext, setContext } from 'svelte';
import type { Missing } from '../lifecycle';
import type { Stage } from '../stages';

const LARGE_TYPE_KEY = 'tillit:large-type';
/** Per person (a shared computer at a stand-up keeps each person's choice). */
const DENSITY_KEY_PREFIX = 'tillit:card-density:';

export const DENSITIES = ['comfortable', 'compact'] as const;
export type Density = (typeof DENSITIES)[number];
const UI_KEY = Symbol('tillit.board-ui');

/**
 * How the open card is kept: a page can route it through its address (`?card=`), so a link, a
 * reload or Back opens and closes the card's panel; without a router it is plain state.
 */
export interface CardRouter {
	current(): string | null;
	open(cardId: string | null): void;
}

/** Where the card panel should open: a section and, within it, a field (e.g. what a gate misses). */
export interface CardFocus {
	section: string;
	field?: string;
}

/** A button shown with a notice (e.g. "open the card" after a gate refused a move). */
export interface NoticeAction {
	label: string;
	run: () => void;
}

export class BoardUi {
	#openCardId = $state<string | null>(null);
	#cardRouter: CardRouter | null = null;
	/** Where the panel of the card being opened should go first; null: its top. */
	openCardFocus = $state.raw<CardFocus | null>(null);
	/** What the notice offers to do about it; null: only the text. */
	noticeAction = $state.raw<NoticeAction | null>(null);
	/** Polite screen-reader announcement (moves, additions). */
	announcement = $state('');
	/** A visible notice that needs attention (refusals); null when there is none. */
	notice = $state<string | null>(null);
	largeType = $state(false);
	/** How much a card face takes: compact fits about twice the cards in a column. */
	density = $state<Density>('comfortable');
	#densityKey: string | null = null;
	/** A move a manager may still make by passing its stage gate with a reason. */
	pendingOverride = $state.raw<{
		cardId: string;
		title: string;
		stage: Stage;
		index: number;
		missing: Missing[];
	} | null>(null);
	#announceToggle = false;
	/** The card just added here: its column scrolls to it and it is highlighted for a moment. */
	justAdded = $state<string | null>(null);
	#justAddedTimer: ReturnType<typeof setTimeout> | null = null;

	get openCardId(): string | null {
		return this.#cardRouter ? this.#cardRouter.current() : this.#openCardId;
	}

	set openCardId(cardId: string | null) {
		if (cardId === null) this.openCardFocus = null;
		if (this.#cardRouter) this.#cardRouter.open(cardId);
		else this.#openCardId = cardId;
	}

	/** Opens a card's panel, at `focus` when given. */
	openCard(cardId: string, focus: CardFocus | null = null): void {
		this.openCardFocus = focus;
		this.openCardId = cardId;
	}

	routeCards(router: CardRouter): void {
		this.#cardRouter = router;
	}

	/** Reads the stored preferences (browser only); the density is remembered per user. */
	restore(userId?: string): void {
		this.#densityKey = userId ? DENSITY_KEY_PREFIX + userId : null;
		try {
			this.largeType = localStorage.getItem(LARGE_TYPE_KEY) === '1';
			const density = this.#densityKey ? localStorage.getItem(this.#densityKey) : null;
			this.density = density === 'compact' ? 'compact' : 'comfortable';
		} catch {
			this.largeType = false;
		}
	}

	setDensity(density: Density): void {
		this.density = density;
		if (!this.#densityKey) return;
		try {
			localStorage.setItem(this.#densityKey, density);
		} catch {
			// The preference just does not survive a reload.
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

	/** Shows a newly added card: scrolled into view and highlighted for a few seconds. */
	markAdded(cardId: string): void {
		this.justAdded = cardId;
		if (this.#justAddedTimer) clearTimeout(this.#justAddedTimer);
		this.#justAddedTimer = setTimeout(() => {
			this.#justAddedTimer = null;
			if (this.justAdded === cardId) this.justAdded = null;
		}, 4000);
	}

	showNotice(text: string, action: NoticeAction | null = null): void {
		this.notice = text;
		this.noticeAction = action;
		this.announce(text);
	}

	dismissNotice(): void {
		this.notice = null;
		this.noticeAction = null;
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
