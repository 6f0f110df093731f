/**
 * Seeding for sync tests and benchmarks: a team with an editor, a viewer and an outsider (each
 * with a session token), and boards filled with N cards written straight into the database
 * (snapshot + projection + creation events), as if a server had stored them.
 */
import type { Kysely } from 'kysely';
import * as Y from 'yjs';
import { createCard, readCards } from '../../src/lib/board/document';
import { STAGES } from '../../src/lib/board/stages';
import type { Role } from '../../src/lib/roles';
import type { Database } from '../../src/lib/server/db/schema';
import { createSession } from '../../src/lib/server/session';
import { writeBatch } from '../../src/lib/server/projection/store';
import { planReconciliation } from '../../src/lib/server/projection/reconcile';
import { seedBoard, seedMember, seedOrganisation, seedTeam, seedUser } from './seed';

export interface SeededPerson {
	id: string;
	/** Session token: the cookie's value. */
	token: string;
	sessionId: string;
}

export interface SyncWorld {
	organisationId: string;
	teamId: string;
	boardId: string;
	/** A board of another team in the same organisation. */
	otherTeamBoardId: string;
	editor: SeededPerson;
	editor2: SeededPerson;
	viewer: SeededPerson;
	/** In the organisation, but in no team. */
	outsider: SeededPerson;
}

export async function seedPerson(
	db: Kysely<Database>,
	organisationId: string,
	teamId: string | null,
	role: Role,
	name = 'Test Person'
): Promise<SeededPerson> {
	const user = await seedUser(db, organisationId, { name });
	if (teamId) await seedMember(db, teamId, user.id, role);
	const { token, session } = await createSession(db, user.id);
	return { id: user.id, token, sessionId: session.id };
}

export async function seedSyncWorld(db: Kysely<Database>): Promise<SyncWorld> {
	const organisationId = await seedOrganisation(db);
	const teamId = await seedTeam(db, organisationId);
	const otherTeamId = await seedTeam(db, organisationId);
	return {
		organisationId,
		teamId,
		boardId: await seedBoard(db, teamId),
		otherTeamBoardId: await seedBoard(db, otherTeamId),
		editor: await seedPerson(db, organisationId, teamId, 'member', 'Edit Ör'),
		editor2: await seedPerson(db, organisationId, teamId, 'member', 'Edit Två'),
		viewer: await seedPerson(db, organisationId, teamId, 'viewer', 'View Er'),
		outsider: await seedPerson(db, organisationId, null, 'member', 'Out Sider')
	};
}

/**
 * Writes a document with `count` cards (spread over the stages) as the board's snapshot, with
 * its projection rows and one creation event per card. Returns the card ids and snapshot bytes.
 */
export async function seedBoardCards(
	db: Kysely<Database>,
	boardId: string,
	count: number,
	userId: string
): Promise<{ cardIds: string[]; snapshotBytes: number }> {
	const doc = new Y.Doc();
	const cardIds: string[] = [];
	const now = Date.now();
	for (let i = 0; i < count; i++) {
		cardIds.push(
			createCard(doc, {
				title: `Kort ${i + 1}: kortare väntetid för ${['hemtjänst', 'elever', 'patienter'][i % 3]}`,
				beneficiary: ['Boende i hemtjänsten', 'Elever i åk 7', 'Patienter'][i % 3]!,
				stage: STAGES[i % STAGES.length],
				userId,
				now: now - (count - i) * 1000
			})
		);
	}
	const snapshot = Y.encodeStateAsUpdate(doc);
	const plan = planReconciliation(readCards(doc), [], new Map(), now);
	await db.transaction().execute(async (trx) => {
		await trx
			.insertInto('board_snapshots')
			.values({ board_id: boardId, data: snapshot, last_seq: 0 })
			.onConflict((conflict) =>
				conflict.column('board_id').doUpdateSet({ data: snapshot, last_seq: 0 })
			)
			.execute();
		await writeBatch(trx, {
			boardId,
			update: null,
			events: plan.events.map((event) => ({ ...event, byUserId: userId })),
			upserts: plan.upserts,
			deletedCardIds: []
		});
	});
	doc.destroy();
	return { cardIds, snapshotBytes: snapshot.byteLength };
}
