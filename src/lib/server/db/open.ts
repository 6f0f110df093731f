/**
 * Opens the database: a real Postgres when a URL is given, otherwise embedded PGlite in a data
 * folder served to `pg` over a loopback socket, so every query takes the same path (Kysely →
 * pg → Postgres wire protocol) on both. Framework-free: configuration arrives as arguments.
 */
import { mkdir } from 'node:fs/promises';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { preparingPool } from './prepared';
import type { Database } from './schema';

// bigint (int8) stays a string in rows (see BigIntColumn); timestamptz parses to Date (pg's default).

export interface DatabaseConfig {
	/** postgres://… — when absent, PGlite in `dataDir` is used. */
	databaseUrl?: string | undefined;
	/** PGlite's data folder (created when missing); absent = in memory. */
	dataDir?: string | undefined;
	/** PGlite only: start from this dump (`dumpDataDir()`), e.g. a migrated template in tests. */
	loadDataDir?: Blob | File | undefined;
	/** Pool size; PGlite queues them on its single session. */
	maxConnections?: number;
}

export interface OpenDatabase {
	db: Kysely<Database>;
	kind: 'postgres' | 'pglite';
	/** A pg connection string that reaches the same database (used by LISTEN, tests, tools). */
	connectionString: string;
	/** PGlite only: a tarball of the data folder (used to make test templates). */
	dumpDataDir?: () => Promise<Blob>;
	close(): Promise<void>;
}

export async function openDatabase(config: DatabaseConfig): Promise<OpenDatabase> {
	const max = config.maxConnections ?? 8;
	if (config.databaseUrl) {
		const pool = new pg.Pool({ connectionString: config.databaseUrl, max });
		// When Postgres drops a connection (restart, failover, backend terminated) the pg client
		// emits 'error': pg-pool re-emits it on the pool for IDLE clients, and a CHECKED-OUT client
		// emits it on itself. With no listener either one is an uncaught 'error' event and the whole
		// process exits. Nothing needs doing in them: the pool discards the broken client (it is no
		// longer queryable) and opens a new one; a query in flight rejects on its own and its caller
		// retries (the board writer does).
		pool.on('error', () => {});
		pool.on('connect', (client) => client.on('error', () => {}));
		const db = new Kysely<Database>({
			dialect: new PostgresDialect({ pool: preparingPool(pool) })
		});
		return {
			db,
			kind: 'postgres',
			connectionString: config.databaseUrl,
			close: () => db.destroy()
		};
	}

	if (config.dataDir) await mkdir(config.dataDir, { recursive: true });
	const { PGlite } = await import('@electric-sql/pglite');
	const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
	const pglite = await PGlite.create({
		...(config.dataDir ? { dataDir: config.dataDir } : {}),
		...(config.loadDataDir ? { loadDataDir: config.loadDataDir } : {})
	});
	// Port 0: the OS picks a free loopback port, so two instances (tests) never collide.
	const socketServer = new PGLiteSocketServer({
		db: pglite,
		host: '127.0.0.1',
		port: 0,
		maxConnections: max
	});
	await socketServer.start();
	const connectionString = `postgres://postgres@${socketServer.getServerConn()}/postgres?sslmode=disable`;
	// PGlite is one session underneath, and pglite-socket interleaves the protocol MESSAGES of
	// different connections: one connection's Parse/Bind/Execute/Sync can be split by another's
	// query, which fails with "portal \"\" cannot be run" or "SET TRANSACTION ISOLATION LEVEL must
	// be called before any query" (reproduced with two pooled writers). So the pool has ONE
	// connection: queries queue in pg, a transaction holds the session until it ends, and code must
	// never wait on a second query from inside a transaction (it would wait forever).
	// No named statements either (prepared.ts): every socket client shares PGlite's one session,
	// where a statement prepared through one pg client already exists for the next.
	const pool = new pg.Pool({ connectionString, max: 1 });
	// See above: a dropped connection's 'error' must not end the process.
	pool.on('error', () => {});
	pool.on('connect', (client) => client.on('error', () => {}));
	const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
	return {
		db,
		kind: 'pglite',
		connectionString,
		dumpDataDir: async () => {
			// The dump must not race in-flight queries: every pool client is idle between awaits here.
			const dump = await pglite.dumpDataDir('gzip');
			return dump;
		},
		async close() {
			await db.destroy();
			await socketServer.stop();
			await pglite.close();
		}
	};
}
