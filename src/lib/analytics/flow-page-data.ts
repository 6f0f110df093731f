/** What a flow report page receives from its load (shared by the three report routes). */
import type { FlowReport } from './report';

export const FLOW_SCOPE_KINDS = ['board', 'team', 'organisation'] as const;
export type FlowScopeKindName = (typeof FLOW_SCOPE_KINDS)[number];

export const REPORT_PROBLEMS = [
	'invalid_date',
	'inverted',
	'too_long',
	'out_of_range',
	'unknown_beneficiary',
	'unknown_label',
	'bad_forecast'
] as const;
export type ReportProblemName = (typeof REPORT_PROBLEMS)[number];

export interface FlowPageData {
	scope: {
		kind: FlowScopeKindName;
		name: string;
		boardId: string | null;
		teamId: string | null;
	};
	today: string;
	/** The URL's values as typed, to put back into the form. */
	query: {
		from: string;
		to: string;
		beneficiary: string;
		label: string;
		by: string;
		items: string;
	};
	options: { beneficiaries: string[]; labels: string[] };
	report: FlowReport | null;
	problem: ReportProblemName | null;
	exports: { cards: string; events: string; board: string | null };
}
