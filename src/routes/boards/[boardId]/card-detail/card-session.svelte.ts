/**
 * One open card in the detail panel, shared with the panel's sections through context: the card's
 * validated detail (re-read on every document change), who may edit, and the one way to write —
 * a transaction with the board's local origin, so undo, the "unsaved" count and read-only
 * viewers all behave as for the rest of the board.
 */
import { getContext, setContext } from 'svelte';
import type * as Y from 'yjs';
import type { LiveBoard } from '$lib/board/client/live-board.svelte';
import { currentCycle, type CardDetail, type PersonRef } from '$lib/board/pdca';
import { roleAtLeast } from '$lib/roles';
import type { BoardPeople } from './board-people.svelte';

const SESSION_KEY = Symbol('tillit.card-session');

export const SECTIONS = [
	'proposal',
	'plan',
	'do',
	'check',
	'act',
	'standard',
	'follow-up',
	'comments',
	'history'
] as const;
export type Section = (typeof SECTIONS)[number];

/** Where the panel opens: a section, and within it a field (e.g. one a stage gate asks for). */
export interface PanelFocus {
	section: Section;
	field?: string;
}

export class CardSession {
	readonly live: LiveBoard;
	readonly cardId: string;
	readonly people: BoardPeople;
	readonly idPrefix: string;
	/** The cycle shown in Plan, Do, Check and Act; null follows the card's current cycle. */
	shownCycle = $state<number | null>(null);

	/** The card as the document has it now (re-read on every document change); null when gone. */
	readonly detail: CardDetail | null;

	constructor(live: LiveBoard, cardId: string, people: BoardPeople, idPrefix: string) {
		this.live = live;
		this.cardId = cardId;
		this.people = people;
		this.idPrefix = idPrefix;
		this.detail = $derived(live.revision >= 0 ? live.detail(cardId) : null);
	}

	get canEdit(): boolean {
		return this.live.canEdit;
	}

	/** Managers (and admins) edit the board's labels and may pass stage gates with a reason. */
	get isManager(): boolean {
		return this.live.canEdit && roleAtLeast(this.live.role, 'manager');
	}

	get me(): PersonRef {
		return { id: this.live.user.id, name: this.live.user.name };
	}

	/** The cycle whose Plan/Do/Check/Act is shown; only the current one is editable. */
	get cycleNumber(): number {
		const current = this.detail?.cycle ?? 1;
		return this.shownCycle !== null && this.shownCycle <= current ? this.shownCycle : current;
	}

	get isCurrentCycle(): boolean {
		return this.cycleNumber === (this.detail?.cycle ?? 1);
	}

	get cycle() {
		const detail = this.detail;
		if (!detail) return null;
		return this.isCurrentCycle
			? currentCycle(detail)
			: (detail.cycles.find((c) => c.number === this.cycleNumber) ?? currentCycle(detail));
	}

	/** An id unique to this panel, for label/field pairs. */
	fieldId(name: string): string {
		return `${this.idPrefix}-${name}`;
	}

	sectionId(section: Section): string {
		return `${this.idPrefix}-section-${section}`;
	}

	/** Writes as the local person (tracked by undo); nothing for viewers. Returns whether it ran. */
	edit(write: (doc: Y.Doc) => boolean | void): boolean {
		if (!this.live.canEdit) return false;
		const doc = this.live.doc;
		return doc.transact(() => write(doc) !== false, this.live.origin);
	}
}

export function setCardSession(session: CardSession): CardSession {
	return setContext(SESSION_KEY, session);
}

export function getCardSession(): CardSession {
	const session = getContext<CardSession | undefined>(SESSION_KEY);
	if (!session) throw new Error('getCardSession() called outside the card panel');
	return session;
}
