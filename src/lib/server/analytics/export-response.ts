/**
 * The export routes' one job: the scope checked (flow-guard.ts), the file built (flow-exports.ts),
 * sent as a download named after the scope and the day. Exports respect the same roles as the
 * report: a person who may not read a board's report may not download its data either.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import { localDay } from '../../analytics/days';
import { exportBoardJson, exportCardsCsv, exportEventsCsv } from './flow-exports';
import { requireFlowScope, type FlowTarget } from './flow-guard';

export const EXPORT_KINDS = ['cards', 'events', 'board'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

function fileSlug(name: string): string {
	const slug = name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^A-Za-z0-9]+/g, '-')
		.replace(/^-|-$/g, '')
		.toLowerCase();
	return slug || 'tillit';
}

export async function flowExportResponse(
	event: Pick<RequestEvent, 'locals' | 'url'>,
	target: FlowTarget,
	kind: ExportKind
): Promise<Response> {
	const scope = await requireFlowScope(event, target);
	const db = event.locals.runtime.database.db;
	const locale = getLocale() === 'en' ? 'en' : 'sv';
	const stem = `tillit-${fileSlug(scope.name)}-${kind}-${localDay(Date.now())}`;
	if (kind === 'board') {
		if (scope.kind !== 'board') return new Response(null, { status: 404 });
		const body = await exportBoardJson(db, { ...scope, kind: 'board' });
		return new Response(body, {
			headers: {
				'content-type': 'application/json; charset=utf-8',
				'content-disposition': `attachment; filename="${stem}.json"`,
				'cache-control': 'no-store'
			}
		});
	}
	const body =
		kind === 'cards'
			? await exportCardsCsv(db, scope, locale)
			: await exportEventsCsv(db, scope, locale);
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${stem}.csv"`,
			'cache-control': 'no-store'
		}
	});
}
