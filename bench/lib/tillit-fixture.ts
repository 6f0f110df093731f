/**
 * What Tillit needs before a client can connect, as a user would have it: a fresh Postgres
 * database (created per run, dropped after), an organisation, a team, boards, editors (members)
 * and a viewer, each with a session whose token goes in the cookie.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../../src/lib/server/db/schema';
import { createSession, SESSION_COOKIE } from '../../src/lib/server/session';
import type { Role } from '../../src/lib/roles';
import {
	seedBoard,
	seedMember,
	seedOrganisation,
	seedTeam,
	seedUser
} from '../../tests/helpers/seed';

/** The Postgres server to use: DATABASE_URL's, else the machine's. */
export function adminDatabaseUrl(): string {
	return process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
}

export interface FreshDatabase {
	url: string;
	name: string;
	drop(): Promise<void>;
}

export async function createFreshDatabase(
	prefix = 'tillit_bench',
	admin = adminDatabaseUrl()
): Promise<FreshDatabase> {
	const name = `${prefix}_${Date.now().toString(36)}_${crypto.randomUUID().slice(0, 6).replaceAll('-', '')}`;
	const client = new pg.Client({ connectionString: admin });
	await client.connect();
	await client.query(`create database ${name}`);
	await client.end();
	const url = new URL(admin);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		name,
		async drop() {
			const cleanup = new pg.Client({ connectionString: admin });
			await cleanup.connect();
			await cleanup.query(`drop database if exists ${name} with (force)`);
			await cleanup.end();
		}
	};
}

export interface TillitUser {
	id: string;
	role: Role;
	cookie: string;
}

export interface TillitFixture {
	db: Kysely<Database>;
	teamId: string;
	editors: TillitUser[];
	viewer: TillitUser;
	createBoards(count: number): Promise<string[]>;
	close(): Promise<void>;
}

/** Seeds people and access in a database the server has already migrated. */
export async function seedTillit(databaseUrl: string, editorCount = 5): Promise<TillitFixture> {
	// Our own pool, with an error listener: an idle connection that Postgres drops (restart,
	// terminated backend) must not take the benchmark or test process down with it.
	const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
	pool.on('error', () => {});
	pool.on('connect', (client) => client.on('error', () => {}));
	const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
	const organisationId = await seedOrganisation(db, 'Benchkommunen');
	const teamId = await seedTeam(db, organisationId, 'Hemtjänst Norr');
	const makeUser = async (role: Role, n: number): Promise<TillitUser> => {
		const user = await seedUser(db, organisationId, {
			name: `${role} ${n}`,
			email: `${role}${n}.${crypto.randomUUID().slice(0, 8)}@bench.example`
		});
		await seedMember(db, teamId, user.id, role);
		const { token } = await createSession(db, user.id);
		return { id: user.id, role, cookie: `${SESSION_COOKIE}=${token}` };
	};
	const editors: TillitUser[] = [];
	for (let n = 0; n < editorCount; n++) editors.push(await makeUser('member', n));
	const viewer = await makeUser('viewer', 0);
	return {
		db,
		teamId,
		editors,
		viewer,
		async createBoards(count) {
			const ids: string[] = [];
			for (let n = 0; n < count; n++) ids.push(await seedBoard(db, teamId, `Tavla ${n}`));
			return ids;
		},
		close: () => db.destroy()
	};
}

export interface ProjectedCard {
	id: string;
	stage: string;
	title: string;
}

/** The card projection for one board (live cards only). */
export async function readProjection(
	db: Kysely<Database>,
	boardId: string
): Promise<ProjectedCard[]> {
	const rows = await db
		.selectFrom('cards')
		.select(['id', 'stage', 'title'])
		.where('board_id', '=', boardId)
		.where('deleted_at', 'is', null)
		.execute();
	return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
