/**
 * A flow report for a scope the caller has already resolved (flow-scope.ts): the URL's period,
 * filters and forecast question checked, the facts read, the report built. Bad input comes back
 * as a named problem with nothing read, so a page never shows numbers for a period or filter
 * other than the one asked for.
 */
import type { Kysely } from 'kysely';
import { addDays, inclusiveDays, isIsoDay, localDay } from '../../analytics/days';
import { parsePeriod, type Period, type PeriodProblem } from '../../analytics/period';
import { buildFlowReport, type FlowReport, type ForecastRequest } from '../../analytics/report';
import type { Database } from '../db/schema';
import {
	listFilterOptions,
	readReportFacts,
	type FilterOptions,
	type FlowFilters
} from './flow-report-queries';
import type { FlowScope } from './flow-scope';

export type ReportProblem =
	PeriodProblem | 'unknown_beneficiary' | 'unknown_label' | 'bad_forecast';

export interface ReportQuery {
	period: Period | null;
	filters: FlowFilters;
	forecast: ForecastRequest | null;
}

export type FlowReportResult =
	| { ok: true; report: FlowReport; filters: FlowFilters; options: FilterOptions }
	| { ok: false; problem: ReportProblem; options: FilterOptions; filters: FlowFilters };

const FORECAST_MAX_ITEMS = 10_000;
const DEFAULT_HORIZON_DAYS = 30;

/** The filter a URL parameter names: absent or empty is "all"; anything else is kept to check. */
function filterValue(params: URLSearchParams, name: string): string | null {
	const value = params.get(name);
	return value === null || value === '' ? null : value.slice(0, 500);
}

export async function loadFlowReport(
	db: Kysely<Database>,
	scope: FlowScope,
	params: URLSearchParams,
	now: number = Date.now()
): Promise<FlowReportResult> {
	const today = localDay(now);
	const filters: FlowFilters = {
		beneficiary: filterValue(params, 'beneficiary'),
		label: filterValue(params, 'label')
	};
	const options = await listFilterOptions(db, scope.boardIds);
	// An emptied date field arrives as '': the same as leaving it out.
	const period = parsePeriod(params.get('from') || null, params.get('to') || null, today);
	if (!period.ok) return { ok: false, problem: period.problem, options, filters };
	if (filters.beneficiary !== null && !options.beneficiaries.includes(filters.beneficiary)) {
		return { ok: false, problem: 'unknown_beneficiary', options, filters };
	}
	if (filters.label !== null && !options.labels.includes(filters.label)) {
		return { ok: false, problem: 'unknown_label', options, filters };
	}
	const facts = await readReportFacts(db, {
		boardIds: scope.boardIds,
		teamIds: scope.teamIds,
		period: period.period,
		filters,
		today
	});
	const forecast = parseForecast(params, today, facts.wipTotal);
	if (!forecast) return { ok: false, problem: 'bad_forecast', options, filters };
	return {
		ok: true,
		report: buildFlowReport(facts, period.period, today, forecast),
		filters,
		options
	};
}

/** `by` (a day after today, within a year) and `items` (1–10,000); defaults when absent. */
function parseForecast(
	params: URLSearchParams,
	today: string,
	wipTotal: number
): ForecastRequest | null {
	const by = params.get('by') || addDays(today, DEFAULT_HORIZON_DAYS);
	if (!isIsoDay(by)) return null;
	const horizon = inclusiveDays(today, by) - 1;
	if (horizon < 1 || horizon > 366) return null;
	const itemsText = params.get('items') || String(Math.max(1, wipTotal));
	if (!/^\d{1,5}$/.test(itemsText)) return null;
	const items = Number(itemsText);
	if (items < 1 || items > FORECAST_MAX_ITEMS) return null;
	return { byDay: by, items };
}
