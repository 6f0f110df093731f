/**
 * The whole-organisation / team / board export (issue 13, "export"): one JSON file with each
 * board's document (the Yjs state, and its cards as plain JSON), projection, stage events, guests
 * and standards, and people's names and roles. Never password hashes, emails, session or invite
 * tokens: those columns are simply never selected.
 *
 * Streamed: the file is produced piece by piece, one board at a time, so exporting a large
 * organisation holds one board in memory, not the organisation. Framework-free; the routes wrap
 * the generator in a ReadableStream (toStream).
 */
import { sql, type Kysely } from 'kysely';
import * as Y from 'yjs';
import { cardsMap } from '../../board/document';
import type { Database } from '../db/schema';
import { getBoardDocumentState } from '../projection/store';

export const EXPORT_FORMAT = 'tillit-export';
export const EXPORT_VERSION = 1;

export type ExportScope =
	| { kind: 'organisation'; organisationId: string }
	| { kind: 'team'; organisationId: string; teamId: string }
	| { kind: 'board'; organisationId: string; teamId: string; boardId: string };

const json = (value: unknown) => JSON.stringify(value);

function toBase64(bytes: Uint8Array): string {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Rows per query: big boards stream in slices, never as one array. */
const SLICE = 500;

/** A JSON array whose items come slice by slice. */
async function* jsonArray<T>(slices: AsyncGenerator<T[]>): AsyncGenerator<string> {
	yield '[';
	let first = true;
	for await (const slice of slices) {
		for (const item of slice) {
			yield `${first ? '' : ','}${json(item)}`;
			first = false;
		}
	}
	yield ']';
}

async function* cardRows(db: Kysely<Database>, boardId: string) {
	let after = '';
	for (;;) {
		const rows = await db
			.selectFrom('cards')
			.selectAll()
			.select([
				// pg would make a `date` a Date at local midnight; the text is exact.
				sql<string | null>`follow_up::text`.as('follow_up'),
				sql<string | null>`due::text`.as('due'),
				sql<string | null>`standard_effective_date::text`.as('standard_effective_date'),
				sql<string | null>`standard_review_date::text`.as('standard_review_date')
			])
			.where('board_id', '=', boardId)
			.where('id', '>', after)
			.orderBy('id')
			.limit(SLICE)
			.execute();
		if (rows.length > 0) yield rows;
		if (rows.length < SLICE) return;
		after = rows[rows.length - 1]!.id;
	}
}

async function* eventRows(db: Kysely<Database>, boardId: string) {
	let after = '0';
	for (;;) {
		const rows = await db
			.selectFrom('card_events')
			.select([
				'id',
				'card_id',
				'from_stage',
				'to_stage',
				'at',
				'by_user_id',
				'cycle',
				'recorded_at',
				'override_reason'
			])
			.where('board_id', '=', boardId)
			.where(sql<boolean>`id > ${after}::bigint`)
			.orderBy('id')
			.limit(SLICE * 2)
			.execute();
		if (rows.length > 0) yield rows.map(({ id: _id, ...event }) => event);
		if (rows.length < SLICE * 2) return;
		after = String(rows[rows.length - 1]!.id);
	}
}

async function* boardPart(
	db: Kysely<Database>,
	board: { id: string; name: string; created_at: Date }
) {
	const state = await getBoardDocumentState(db, board.id);
	yield `{"id":${json(board.id)},"name":${json(board.name)},"createdAt":${json(board.created_at)}`;
	yield `,"document":${json(toBase64(state))},"cardContent":{`;
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, state);
		let first = true;
		for (const [id, card] of cardsMap(doc).entries()) {
			yield `${first ? '' : ','}${json(id)}:${json(card.toJSON())}`;
			first = false;
		}
	} finally {
		doc.destroy();
	}
	yield '},"cards":';
	const standards: unknown[] = [];
	async function* withStandards() {
		for await (const slice of cardRows(db, board.id)) {
			for (const card of slice) {
				if (card.stage === 'standard' && card.deleted_at === null) {
					standards.push({
						cardId: card.id,
						title: card.title,
						text: card.standard_text,
						effectiveDate: card.standard_effective_date,
						reviewDate: card.standard_review_date,
						ownerName: card.standard_owner_name
					});
				}
			}
			yield slice;
		}
	}
	yield* jsonArray(withStandards());
	yield `,"standards":${json(standards)},"events":`;
	yield* jsonArray(eventRows(db, board.id));
	const guests = await db
		.selectFrom('card_guests')
		.select(['card_id', 'user_id', 'added_by', 'created_at'])
		.where('board_id', '=', board.id)
		.execute();
	yield `,"guests":${json(guests)}}`;
}

async function* teamPart(
	db: Kysely<Database>,
	team: { id: string; name: string },
	onlyBoardId: string | null
) {
	const members = await db
		.selectFrom('team_members')
		.innerJoin('users', 'users.id', 'team_members.user_id')
		.select(['users.id as userId', 'users.name', 'team_members.role'])
		.where('team_members.team_id', '=', team.id)
		.orderBy('users.name')
		.execute();
	yield `{"id":${json(team.id)},"name":${json(team.name)},"members":${json(members)},"boards":[`;
	let query = db
		.selectFrom('boards')
		.select(['id', 'name', 'created_at'])
		.where('team_id', '=', team.id)
		.orderBy('name')
		.orderBy('id');
	if (onlyBoardId) query = query.where('id', '=', onlyBoardId);
	const boards = await query.execute();
	for (const [index, board] of boards.entries()) {
		if (index > 0) yield ',';
		yield* boardPart(db, board);
	}
	yield ']}';
}

/** The export as a sequence of JSON text pieces (concatenated, one valid JSON document). */
export async function* exportJson(
	db: Kysely<Database>,
	scope: ExportScope,
	now = new Date()
): AsyncGenerator<string> {
	const organisation = await db
		.selectFrom('organisations')
		.select(['id', 'name'])
		.where('id', '=', scope.organisationId)
		.executeTakeFirstOrThrow();
	yield `{"format":${json(EXPORT_FORMAT)},"version":${EXPORT_VERSION},"exportedAt":${json(now)}`;
	yield `,"scope":${json(scope.kind)},"organisation":${json(organisation)}`;
	let people = db
		.selectFrom('users')
		.select(['users.id', 'users.name', 'users.is_org_admin as isOrgAdmin'])
		.where('users.organisation_id', '=', scope.organisationId)
		.orderBy('users.name')
		.orderBy('users.id');
	if (scope.kind !== 'organisation') {
		people = people.where((eb) =>
			eb.exists(
				eb
					.selectFrom('team_members')
					.select('team_members.user_id')
					.whereRef('team_members.user_id', '=', 'users.id')
					.where('team_members.team_id', '=', scope.teamId)
			)
		);
	}
	yield `,"people":${json(await people.execute())},"teams":[`;
	let teams = db
		.selectFrom('teams')
		.select(['id', 'name'])
		.where('organisation_id', '=', scope.organisationId)
		.orderBy('name');
	if (scope.kind !== 'organisation') teams = teams.where('id', '=', scope.teamId);
	for (const [index, team] of (await teams.execute()).entries()) {
		if (index > 0) yield ',';
		yield* teamPart(db, team, scope.kind === 'board' ? scope.boardId : null);
	}
	yield ']}';
}

/** A web ReadableStream of a text generator (pulls one piece at a time: back-pressure). */
export function toStream(pieces: AsyncGenerator<string>): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			const next = await pieces.next();
			if (next.done) controller.close();
			else controller.enqueue(encoder.encode(next.value));
		},
		async cancel() {
			await pieces.return(undefined);
		}
	});
}
