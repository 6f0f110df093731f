/**
 * Seeding helpers for integration tests: an organisation with users, teams, memberships, boards.
 * They write rows directly (the sign-up flow has its own tests) and return ids.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import type { Role } from '../../src/lib/roles';
import { hashPassword } from '../../src/lib/server/password';

let counter = 0;
const id = (prefix: string) =>
	`${prefix}_${Date.now().toString(36)}${(counter++).toString(36)}${crypto.randomUUID().slice(0, 6)}`;

// Hashing is deliberately slow; tests share one hash of this password.
export const SEED_PASSWORD = 'correct horse battery';
let seedHash: Promise<string> | undefined;

export async function seedOrganisation(db: Kysely<Database>, name = 'Testkommunen') {
	const organisationId = id('org');
	await db
		.insertInto('organisations')
		.values({ id: organisationId, name, open_signup_domain: null, open_signup_team_id: null })
		.execute();
	return organisationId;
}

export async function seedUser(
	db: Kysely<Database>,
	organisationId: string,
	options: { name?: string; email?: string; isOrgAdmin?: boolean } = {}
) {
	seedHash ??= hashPassword(SEED_PASSWORD);
	const userId = id('usr');
	const email = options.email ?? `${userId}@example.se`;
	await db
		.insertInto('users')
		.values({
			id: userId,
			organisation_id: organisationId,
			email,
			name: options.name ?? 'Test Person',
			password_hash: await seedHash,
			is_org_admin: options.isOrgAdmin ?? false,
			locale: null
		})
		.execute();
	return { id: userId, email, organisationId, isOrgAdmin: options.isOrgAdmin ?? false };
}

export async function seedTeam(
	db: Kysely<Database>,
	organisationId: string,
	name = `Team ${counter++}`
) {
	const teamId = id('team');
	await db
		.insertInto('teams')
		.values({ id: teamId, organisation_id: organisationId, name })
		.execute();
	return teamId;
}

export async function seedMember(db: Kysely<Database>, teamId: string, userId: string, role: Role) {
	await db.insertInto('team_members').values({ team_id: teamId, user_id: userId, role }).execute();
}

export async function seedBoard(db: Kysely<Database>, teamId: string, name = 'Förbättringstavla') {
	const boardId = id('brd');
	await db.insertInto('boards').values({ id: boardId, team_id: teamId, name }).execute();
	return boardId;
}
