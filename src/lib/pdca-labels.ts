/**
 * Names of lifecycle things in the reader's language, for the follow-up lists, the standards
 * library and the guest card view. (The board's route keeps its own stageLabel beside it.)
 */
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { isDecision } from '$lib/board/lifecycle';
import { isStage, type Stage } from '$lib/board/stages';

const STAGE_NAMES: Record<Stage, () => string> = {
	proposed: () => m.board_stage_proposed(),
	plan: () => m.board_stage_plan(),
	do: () => m.board_stage_do(),
	check: () => m.board_stage_check(),
	act: () => m.board_stage_act(),
	standard: () => m.board_stage_standard(),
	parked: () => m.board_stage_parked(),
	declined: () => m.board_stage_declined()
};

export function stageName(stage: string): string {
	return isStage(stage) ? STAGE_NAMES[stage]() : m.pdca_unknown();
}

export function decisionName(kind: string): string {
	if (!isDecision(kind)) return m.pdca_unknown();
	return {
		adopt: m.pdca_decision_adopt,
		adapt: m.pdca_decision_adapt,
		abandon: m.pdca_decision_abandon
	}[kind]();
}

export function inputKindName(kind: string): string {
	switch (kind) {
		case 'agree':
			return m.pdca_input_agree();
		case 'concerns':
			return m.pdca_input_concerns();
		case 'suggestion':
			return m.pdca_input_suggestion();
		default:
			return m.pdca_unknown();
	}
}

/**
 * A calendar date 'YYYY-MM-DD' in the reader's language. Formatted in UTC on purpose: the date is
 * a day, not an instant, and must not shift by the reader's time zone.
 */
export function formatDay(day: string): string {
	const locale = getLocale() === 'sv' ? 'sv-SE' : 'en-GB';
	return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
		new Date(`${day}T00:00:00Z`)
	);
}
