/** The stages' names in the reader's language (the stage ids themselves never reach the UI). */
import { m } from '$lib/paraglide/messages';
import type { Stage } from '$lib/board/stages';

const LABELS: Record<Stage, () => string> = {
	proposed: () => m.board_stage_proposed(),
	plan: () => m.board_stage_plan(),
	do: () => m.board_stage_do(),
	check: () => m.board_stage_check(),
	act: () => m.board_stage_act(),
	standard: () => m.board_stage_standard(),
	parked: () => m.board_stage_parked(),
	declined: () => m.board_stage_declined()
};

export function stageLabel(stage: Stage): string {
	return LABELS[stage]();
}
