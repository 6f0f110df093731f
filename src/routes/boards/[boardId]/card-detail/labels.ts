/** Names of the card panel's fixed choices and of what a stage gate misses, in the reader's language. */
import { m } from '$lib/paraglide/messages';
import { inputKindName } from '$lib/pdca-labels';
import { DEFAULT_LABELS, type InputKind } from '$lib/board/pdca';
import type { Decision, Missing } from '$lib/board/lifecycle';
import type { PanelFocus, Section } from './card-session.svelte';

/** The kinds of input, named as everywhere else (the guest card view, follow-up lists). */
export function inputKindLabel(kind: InputKind): string {
	return inputKindName(kind);
}

// The panel's own words for the decisions (infinitives): the imperative "Avbryt" of the shared
// labels would read like the Cancel button beside it in the decision form.
const DECISION: Record<Decision, () => string> = {
	adopt: () => m.card_decision_adopt(),
	adapt: () => m.card_decision_adapt(),
	abandon: () => m.card_decision_abandon()
};

export function decisionLabel(decision: Decision): string {
	return DECISION[decision]();
}

const DEFAULT_LABEL_NAMES: Record<(typeof DEFAULT_LABELS)[number], () => string> = {
	safety: () => m.card_label_safety(),
	quality: () => m.card_label_quality(),
	delivery: () => m.card_label_delivery(),
	cost: () => m.card_label_cost(),
	people: () => m.card_label_people()
};

/** The built-in labels are keys, shown in the reader's language; a team's own labels as written. */
export function labelName(label: string): string {
	return Object.hasOwn(DEFAULT_LABEL_NAMES, label)
		? DEFAULT_LABEL_NAMES[label as (typeof DEFAULT_LABELS)[number]]()
		: label;
}

/** Where in the card panel each missing item is filled in. */
export const MISSING_SECTION: Record<Missing, Section> = {
	problem: 'proposal',
	beneficiary: 'proposal',
	goal: 'plan',
	result: 'check',
	decision: 'act',
	decision_mismatch: 'act',
	inputs_pending: 'act',
	end_reason: 'follow-up',
	standard_text: 'standard',
	standard_owner: 'standard',
	standard_review: 'standard'
};

/** The field to focus for each missing item (its name in the panel, see SharedTextField). */
export const MISSING_FIELD: Partial<Record<Missing, string>> = {
	problem: 'problem',
	beneficiary: 'beneficiary',
	end_reason: 'end-reason',
	standard_text: 'standard-text'
};

const MISSING_FIX: Record<Missing, () => string> = {
	problem: () => m.card_fix_problem(),
	beneficiary: () => m.card_fix_beneficiary(),
	goal: () => m.card_fix_goal(),
	result: () => m.card_fix_result(),
	decision: () => m.card_fix_decision(),
	decision_mismatch: () => m.card_fix_decision_mismatch(),
	end_reason: () => m.card_fix_end_reason(),
	inputs_pending: () => m.card_fix_inputs_pending(),
	standard_text: () => m.board_fix_standard_text(),
	standard_owner: () => m.board_fix_standard_owner(),
	standard_review: () => m.board_fix_standard_review()
};

/** What to do about a missing item, as the text of a link to where it is done. */
export function missingFixLabel(code: Missing): string {
	return MISSING_FIX[code]();
}

/** Where the panel opens to fix what a gate misses: the first missing item's field or section. */
export function gateFocus(missing: readonly Missing[]): PanelFocus | null {
	const first = missing[0];
	return first ? { section: MISSING_SECTION[first], field: MISSING_FIELD[first] } : null;
}
