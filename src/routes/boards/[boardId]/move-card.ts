/**
 * Moving a card from the UI (drag end, Move-to menu): one write through the LiveBoard, then what
 * the person hears or sees — the new place, or why the move was refused.
 */
import { m } from '$lib/paraglide/messages';
import type { LiveBoard } from '$lib/board/client/live-board.svelte';
import type { BoardUi } from '$lib/board/client/board-ui.svelte';
import type { Stage } from '$lib/board/stages';
import { roleAtLeast } from '$lib/roles';
import type { Missing } from '$lib/board/lifecycle';
import type { MoveRefusal } from '$lib/sync/messages';
import { gateFocus } from './card-detail/labels';
import { missingList } from './missing-labels';
import { stageLabel } from './stage-labels';

export function refusalText(stage: Stage, limit: number): string {
	const name = stageLabel(stage);
	return m.board_refused_hard_limit({ stage: name, limit });
}

export function movedText(title: string, stage: Stage, position: number, total: number): string {
	return m.board_moved({
		title: title.trim() || m.board_card_untitled(),
		stage: stageLabel(stage),
		position,
		total
	});
}

/** The notice's way to what a gate misses: the card's panel, at the first missing field. */
export function openCardAction(ui: BoardUi, cardId: string, missing: readonly Missing[]) {
	return {
		label: m.card_gate_open_card(),
		run: () => {
			ui.dismissNotice();
			ui.openCard(cardId, gateFocus(missing));
		}
	};
}

/** Returns whether the card moved. `announce`: say where it went (the menu; dnd-kit speaks for drags). */
export function moveCardFromUi(
	live: LiveBoard,
	ui: BoardUi,
	cardId: string,
	stage: Stage,
	index: number,
	announce: boolean
): boolean {
	const result = live.moveCard(cardId, stage, index);
	if (!result.ok) {
		if (result.reason === 'hard-limit') ui.showNotice(refusalText(stage, result.limit));
		if (result.reason === 'gate') {
			const title = live.card(cardId)?.title.trim() || m.board_card_untitled();
			if (result.missing.length > 0 && roleAtLeast(live.role, 'manager')) {
				// Managers may pass a gate, with a reason that is recorded (DESIGN.md §3).
				ui.pendingOverride = { cardId, title, stage, index, missing: result.missing };
			} else {
				ui.showNotice(
					m.board_gate_refused({
						title,
						stage: stageLabel(stage),
						missing: missingList(result.missing)
					}),
					openCardAction(ui, cardId, result.missing)
				);
			}
		}
		return false;
	}
	if (!result.moved) return false;
	if (announce) {
		const column = live.columns[stage];
		const position = column.findIndex((card) => card.id === cardId) + 1;
		const card = column[position - 1];
		if (card) ui.announce(movedText(card.title, stage, position, column.length));
	}
	return true;
}

/** What the author of a move the server undid reads: which card, and why (gate or hard limit). */
export function showServerRefusal(live: LiveBoard, ui: BoardUi, refusal: MoveRefusal): void {
	const title = live.card(refusal.cardId)?.title.trim() || m.board_card_untitled();
	if (refusal.reason === 'hard_limit') {
		ui.showNotice(m.board_hard_limit_undone({ title }));
		return;
	}
	ui.showNotice(
		refusal.reason === 'not_allowed'
			? m.board_gate_not_allowed({ title })
			: m.board_gate_undone({ title, missing: missingList(refusal.missing) }),
		refusal.missing.length > 0 ? openCardAction(ui, refusal.cardId, refusal.missing) : null
	);
}
