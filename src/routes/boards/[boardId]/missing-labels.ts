/** What a stage gate says is missing (lifecycle.ts), in the reader's language, as one list. */
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { Missing } from '$lib/board/lifecycle';

const LABELS: Record<Missing, () => string> = {
	problem: () => m.board_missing_problem(),
	beneficiary: () => m.board_missing_beneficiary(),
	goal: () => m.board_missing_goal(),
	result: () => m.board_missing_result(),
	decision: () => m.board_missing_decision(),
	decision_mismatch: () => m.board_missing_decision_mismatch(),
	end_reason: () => m.board_missing_end_reason(),
	inputs_pending: () => m.board_missing_inputs_pending(),
	standard_text: () => m.board_missing_standard_text(),
	standard_owner: () => m.board_missing_standard_owner(),
	standard_review: () => m.board_missing_standard_review()
};

/** "a, b and c" / "a, b och c". */
export function missingList(missing: readonly Missing[]): string {
	const labels = missing.map((code) => LABELS[code]());
	return new Intl.ListFormat(getLocale(), { type: 'conjunction' }).format(labels);
}
