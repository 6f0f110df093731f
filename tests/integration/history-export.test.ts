/**
 * The organisation / team / board export (issue 13): one JSON document with each board's document,
 * projection, events and standards, people's names and roles — and never a password hash, an
 * email, a session or an invite token. CSV of cards for one board.
 */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cardsMap } from '../../src/lib/board/document';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import { cardsCsv } from '../../src/lib/server/export/cards-csv';
import { exportJson, type ExportScope } from '../../src/lib/server/export/org-export';
import { getBoardDocumentState } from '../../src/lib/server/projection/store';
import { seedBoard, seedTeam } from '../helpers/seed';
import { seedBoardCards, seedPerson, seedSyncWorld, type SyncWorld } from '../helpers/sync-seed';
import { openTestDatabase } from '../helpers/test-database';

let database: OpenDatabase;
let world: SyncWorld;
let secretTeamBoard: string;

async function exported(scope: ExportScope): Promise<{ text: string; pieces: number }> {
	let text = '';
	let pieces = 0;
	for await (const piece of exportJson(database.db, scope)) {
		text += piece;
		pieces++;
	}
	return { text, pieces };
}

beforeAll(async () => {
	database = await openTestDatabase();
	world = await seedSyncWorld(database.db);
	await seedBoardCards(database.db, world.boardId, 12, world.editor.id);
	await seedBoardCards(database.db, world.otherTeamBoardId, 3, world.editor.id);
	const secretTeam = await seedTeam(database.db, world.organisationId, 'Hemliga teamet');
	secretTeamBoard = await seedBoard(database.db, secretTeam, 'Hemlig tavla');
	await seedPerson(database.db, world.organisationId, secretTeam, 'member', 'Hemlig Person');
	await database.db
		.insertInto('invites')
		.values({
			id: 'inv_export_test',
			token_hash: 'invite-token-hash-must-not-leak',
			organisation_id: world.organisationId,
			team_id: world.teamId,
			role: 'member',
			expires_at: new Date(Date.now() + 86_400_000)
		})
		.execute();
});

afterAll(async () => {
	await database.close();
});

describe('JSON export', () => {
	it('exports the whole organisation, streamed, without secrets', async () => {
		const { text, pieces } = await exported({
			kind: 'organisation',
			organisationId: world.organisationId
		});
		expect(pieces).toBeGreaterThan(10);
		const data = JSON.parse(text);
		expect(data).toMatchObject({ format: 'tillit-export', version: 1, scope: 'organisation' });
		expect(data.teams).toHaveLength(3);
		const team = data.teams.find((t: { id: string }) => t.id === world.teamId);
		expect(team.members.map((p: { name: string; role: string }) => [p.name, p.role])).toEqual(
			expect.arrayContaining([
				['Edit Ör', 'member'],
				['View Er', 'viewer']
			])
		);
		const board = team.boards.find((b: { id: string }) => b.id === world.boardId);
		expect(board.cards).toHaveLength(12);
		expect(board.events).toHaveLength(12);
		expect(Object.keys(board.cardContent)).toHaveLength(12);
		// The document round-trips: it is the board's stored state.
		const doc = new Y.Doc();
		Y.applyUpdate(doc, Buffer.from(board.document, 'base64'));
		expect(cardsMap(doc).toJSON()).toEqual(board.cardContent);
		expect(board.standards.length).toBe(
			board.cards.filter((c: { stage: string }) => c.stage === 'standard').length
		);

		const users = await database.db
			.selectFrom('users')
			.select(['email', 'password_hash'])
			.where('organisation_id', '=', world.organisationId)
			.execute();
		const sessions = await database.db.selectFrom('sessions').select('id').execute();
		expect(users.length).toBeGreaterThan(3);
		for (const user of users) {
			expect(text).not.toContain(user.email);
			expect(text).not.toContain(user.password_hash);
		}
		for (const session of sessions) expect(text).not.toContain(session.id);
		expect(text).not.toContain(world.editor.token);
		expect(text).not.toContain('invite-token-hash-must-not-leak');
		expect(text).not.toMatch(/password|token_hash|email/);
	});

	it('exports one team or one board, nothing of the others', async () => {
		const team = JSON.parse(
			(
				await exported({
					kind: 'team',
					organisationId: world.organisationId,
					teamId: world.teamId
				})
			).text
		);
		expect(team.teams.map((t: { id: string }) => t.id)).toEqual([world.teamId]);
		expect(team.people.map((p: { name: string }) => p.name)).not.toContain('Hemlig Person');
		expect(JSON.stringify(team)).not.toContain(secretTeamBoard);

		const board = JSON.parse(
			(
				await exported({
					kind: 'board',
					organisationId: world.organisationId,
					teamId: world.teamId,
					boardId: world.boardId
				})
			).text
		);
		expect(board.teams[0].boards.map((b: { id: string }) => b.id)).toEqual([world.boardId]);
	});
});

describe('CSV of cards', () => {
	it('has one row per card with the importer’s columns, formulas neutralised', async () => {
		const state = await getBoardDocumentState(database.db, world.boardId);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, state);
		const first = [...cardsMap(doc).keys()][0]!;
		doc.transact(() => {
			const title = cardsMap(doc).get(first)!.get('title') as Y.Text;
			title.delete(0, title.length);
			title.insert(0, '=HYPERLINK("http://evil")');
		});
		const parsed = Papa.parse<Record<string, string>>(cardsCsv(Y.encodeStateAsUpdate(doc)), {
			header: true
		});
		expect(parsed.errors).toEqual([]);
		expect(parsed.data).toHaveLength(12);
		expect(parsed.meta.fields).toEqual(
			expect.arrayContaining(['title', 'problem', 'beneficiary', 'stage', 'created_at'])
		);
		const row = parsed.data.find((r) => r.id === first)!;
		expect(row.title).toBe(`'=HYPERLINK("http://evil")`);
	});
});
