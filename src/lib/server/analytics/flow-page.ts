/**
 * The one load behind the three report routes: a resolved scope and the URL in, the page's data
 * out. Routes only resolve the scope (and turn a refusal into 403/404).
 */
import type { Kysely } from 'kysely';
import { localDay } from '../../analytics/days';
import type { FlowPageData } from '../../analytics/flow-page-data';
import type { Database } from '../db/schema';
import { loadFlowReport } from './flow-report';
import type { FlowScope } from './flow-scope';

/** Where a scope's exports live (the routes beside its report). */
function exportLinks(scope: FlowScope, base: string): FlowPageData['exports'] {
	return {
		cards: `${base}/cards.csv`,
		events: `${base}/events.csv`,
		board: scope.kind === 'board' ? `${base}/board.json` : null
	};
}

export async function loadFlowPage(
	db: Kysely<Database>,
	scope: FlowScope,
	url: URL,
	now: number = Date.now()
): Promise<FlowPageData> {
	const result = await loadFlowReport(db, scope, url.searchParams, now);
	const param = (name: string) => (url.searchParams.get(name) ?? '').slice(0, 100);
	const report = result.ok ? result.report : null;
	return {
		scope: { kind: scope.kind, name: scope.name, boardId: scope.boardId, teamId: scope.teamId },
		today: localDay(now),
		query: {
			from: report?.period.from ?? param('from'),
			to: report?.period.to ?? param('to'),
			beneficiary: param('beneficiary'),
			label: param('label'),
			by: report?.forecast.byDay ?? param('by'),
			items: report ? String(report.forecast.items) : param('items')
		},
		options: result.options,
		report,
		problem: result.ok ? null : result.problem,
		exports: exportLinks(scope, url.pathname.replace(/\/$/, ''))
	};
}
