/**
 * The flow report's exports (issue 10), per board/team/organisation scope the caller resolved:
 * cards with their projection and flow facts (CSV), stage events one row per event (CSV), and a
 * whole board as JSON (its document and its events). The whole-organisation backup is the
 * history lane's; these stay per scope.
 *
 * CSV for Excel: UTF-8 with a BOM (or Excel guesses a legacy code page and breaks å, ä, ö), CRLF,
 * and the separator a spreadsheet in that locale expects: ';' in Swedish (',' is the decimal
 * comma there), ',' in English. Cells that start like a formula are escaped (CSV injection).
 */
import type { Kysely } from 'kysely';
import Papa from 'papaparse';
import * as Y from 'yjs';
import { cardsMap } from '../../board/document';
import { REPORT_TIME_ZONE } from '../../analytics/days';
import type { Database } from '../db/schema';
import { getBoardDocumentState } from '../projection/store';
import type { FlowScope } from './flow-scope';
import { refreshFlowSummaries } from './flow-summaries';

export type ExportLocale = 'sv' | 'en';

const DAY_MS = 86_400_000;
const STAGE_COLUMNS = [
	'proposed',
	'plan',
	'do',
	'check',
	'act',
	'standard',
	'parked',
	'declined'
] as const;

export function toCsv(
	header: readonly string[],
	rows: readonly (readonly (string | number | null)[])[],
	locale: ExportLocale
): string {
	const delimiter = locale === 'sv' ? ';' : ',';
	const decimal = (value: string | number | null) =>
		typeof value === 'number' && locale === 'sv' ? String(value).replace('.', ',') : (value ?? '');
	const body = Papa.unparse(
		{ fields: [...header], data: rows.map((row) => row.map(decimal)) },
		{ delimiter, newline: '\r\n', escapeFormulae: true }
	);
	return `\uFEFF${body}\r\n`;
}

function iso(value: Date | null): string {
	return value === null ? '' : value.toISOString();
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** One row per card in the scope (not deleted), its facts and its flow summary. */
export async function exportCardsCsv(
	db: Kysely<Database>,
	scope: FlowScope,
	locale: ExportLocale
): Promise<string> {
	await refreshFlowSummaries(db, scope.boardIds);
	const rows =
		scope.boardIds.length === 0
			? []
			: await db
					.selectFrom('cards as c')
					.innerJoin('boards as b', 'b.id', 'c.board_id')
					.leftJoin('card_flow as f', (join) =>
						join.onRef('f.board_id', '=', 'c.board_id').onRef('f.card_id', '=', 'c.id')
					)
					.select([
						'b.name as board_name',
						'c.board_id',
						'c.id',
						'c.title',
						'c.stage',
						'c.cycle',
						'c.beneficiary',
						'c.labels',
						'c.proposer_name',
						'c.owner_name',
						'c.decision',
						'c.end_reason',
						(eb) => eb.cast<string | null>('c.follow_up', 'text').as('follow_up'),
						'f.created_at',
						'f.reached_plan_at',
						'f.reached_standard_at',
						'f.end_state',
						'f.ms_proposed',
						'f.ms_plan',
						'f.ms_do',
						'f.ms_check',
						'f.ms_act',
						'f.ms_standard',
						'f.ms_parked',
						'f.ms_declined'
					])
					.where('c.board_id', 'in', scope.boardIds)
					.where('c.deleted_at', 'is', null)
					.orderBy('b.name')
					.orderBy('c.created_at')
					.execute();
	const header = [
		'board',
		'board_id',
		'card_id',
		'title',
		'stage',
		'cycle',
		'beneficiary',
		'labels',
		'proposer',
		'owner',
		'decision',
		'end_reason',
		'follow_up',
		'proposed_at',
		'started_at',
		'finished_at',
		'end_state',
		'cycle_hours',
		...STAGE_COLUMNS.map((s) => `days_in_${s}`)
	];
	return toCsv(
		header,
		rows.map((r) => [
			r.board_name,
			r.board_id,
			r.id,
			r.title,
			r.stage,
			r.cycle,
			r.beneficiary,
			r.labels.join(', '),
			r.proposer_name,
			r.owner_name,
			r.decision,
			r.end_reason,
			r.follow_up,
			iso(r.created_at),
			iso(r.reached_plan_at),
			iso(r.reached_standard_at),
			r.end_state,
			r.reached_plan_at && r.reached_standard_at
				? round2((r.reached_standard_at.getTime() - r.reached_plan_at.getTime()) / 3_600_000)
				: null,
			...STAGE_COLUMNS.map((s) => {
				const ms = r[`ms_${s}`];
				return ms === null ? null : round2(Number(ms) / DAY_MS);
			})
		]),
		locale
	);
}

/** Every stage event of the scope, oldest first: one row per event. */
export async function exportEventsCsv(
	db: Kysely<Database>,
	scope: FlowScope,
	locale: ExportLocale
): Promise<string> {
	const rows =
		scope.boardIds.length === 0
			? []
			: await db
					.selectFrom('card_events as e')
					.innerJoin('boards as b', 'b.id', 'e.board_id')
					.leftJoin('users as u', 'u.id', 'e.by_user_id')
					.leftJoin('cards as c', (join) =>
						join.onRef('c.board_id', '=', 'e.board_id').onRef('c.id', '=', 'e.card_id')
					)
					.select([
						'b.name as board_name',
						'e.board_id',
						'e.card_id',
						'c.title',
						'e.from_stage',
						'e.to_stage',
						'e.cycle',
						'e.at',
						'e.recorded_at',
						'u.name as by_name',
						'e.override_reason'
					])
					.where('e.board_id', 'in', scope.boardIds)
					.orderBy('e.at')
					.orderBy('e.id')
					.execute();
	return toCsv(
		[
			'board',
			'board_id',
			'card_id',
			'title',
			'from_stage',
			'to_stage',
			'cycle',
			'at',
			'recorded_at',
			'by',
			'override_reason'
		],
		rows.map((r) => [
			r.board_name,
			r.board_id,
			r.card_id,
			r.title,
			r.from_stage,
			r.to_stage,
			r.cycle,
			iso(r.at),
			iso(r.recorded_at),
			r.by_name,
			r.override_reason
		]),
		locale
	);
}

/** One board: its document (every card as the board holds it) and its stage events. */
export async function exportBoardJson(
	db: Kysely<Database>,
	scope: FlowScope & { kind: 'board' }
): Promise<string> {
	const boardId = scope.boardIds[0]!;
	const state = await getBoardDocumentState(db, boardId);
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, state);
		const events = await db
			.selectFrom('card_events')
			.select([
				'card_id',
				'from_stage',
				'to_stage',
				'cycle',
				'at',
				'recorded_at',
				'by_user_id',
				'override_reason'
			])
			.where('board_id', '=', boardId)
			.orderBy('at')
			.orderBy('id')
			.execute();
		return JSON.stringify(
			{
				format: 'tillit-board-export',
				version: 1,
				exportedAt: new Date().toISOString(),
				timeZone: REPORT_TIME_ZONE,
				board: { id: boardId, name: scope.name, teamId: scope.teamId },
				document: { cards: cardsMap(doc).toJSON() },
				events: events.map((e) => ({
					cardId: e.card_id,
					fromStage: e.from_stage,
					toStage: e.to_stage,
					cycle: e.cycle,
					at: e.at.toISOString(),
					recordedAt: e.recorded_at.toISOString(),
					byUserId: e.by_user_id,
					overrideReason: e.override_reason
				}))
			},
			null,
			2
		);
	} finally {
		doc.destroy();
	}
}
