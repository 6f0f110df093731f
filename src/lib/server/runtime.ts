/**
 * The process-wide services (database, logger, configuration), created once per process.
 *
 * Why globalThis: in production the server entry (bundled from server/) and SvelteKit's handler
 * (bundled by Vite) are two bundles with their own copies of this module; in development Vite may
 * re-evaluate modules on change. A well-known Symbol on globalThis lets all of them share one
 * database pool instead of opening the PGlite data folder twice (which would corrupt it).
 * Framework-free: the configuration arrives as an argument.
 */
import path from 'node:path';
import { openDatabase, type OpenDatabase } from './db/open';
import { migrateToLatest } from './db/migrate';
import { createLogger, type Logger } from './log';

export interface RuntimeConfig {
	databaseUrl: string | undefined;
	dataDir: string;
	migrationsDir: string;
	/** The public origin (scheme://host[:port]) the app is served from; used for Origin checks. */
	origin: string | undefined;
	production: boolean;
	logLevel: string;
}

export interface Runtime {
	config: RuntimeConfig;
	database: OpenDatabase;
	log: Logger;
}

/** Reads the environment once; the only place that knows the variable names. */
export function readRuntimeConfig(
	env: Record<string, string | undefined>,
	cwd: string
): RuntimeConfig {
	return {
		databaseUrl: env.DATABASE_URL || undefined,
		dataDir: path.resolve(cwd, env.TILLIT_DATA_DIR || './data'),
		migrationsDir: path.resolve(cwd, env.TILLIT_MIGRATIONS_DIR || './migrations'),
		origin: env.ORIGIN || undefined,
		production: env.NODE_ENV === 'production',
		logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'warn' : 'info')
	};
}

export class MigrationError extends Error {}

const RUNTIME_KEY = Symbol.for('tillit.runtime');
type Holder = { [RUNTIME_KEY]?: Promise<Runtime> };

async function createRuntime(config: RuntimeConfig): Promise<Runtime> {
	const log = createLogger({ level: config.logLevel });
	const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
	const outcome = await migrateToLatest(database.db, config.migrationsDir);
	if (!outcome.ok) {
		await database.close();
		throw new MigrationError(
			`Database migration ${outcome.failed ?? '(unknown)'} failed: ${outcome.message}. ` +
				'Nothing from that migration was applied; fix it and start again.'
		);
	}
	if (outcome.applied.length > 0) log.info({ applied: outcome.applied }, 'migrations applied');
	log.info(
		{ database: database.kind, dataDir: database.kind === 'pglite' ? config.dataDir : undefined },
		'database ready'
	);
	return { config, database, log };
}

/** The runtime, created on first call with `config`; later calls return the same one. */
export function getRuntime(config: RuntimeConfig): Promise<Runtime> {
	const holder = globalThis as Holder;
	if (!holder[RUNTIME_KEY]) {
		const pending = createRuntime(config);
		holder[RUNTIME_KEY] = pending;
		// A failed start must not be cached: the next call tries again.
		pending.catch(() => {
			if (holder[RUNTIME_KEY] === pending) delete holder[RUNTIME_KEY];
		});
	}
	return holder[RUNTIME_KEY];
}

/** Closes the runtime's database (graceful shutdown, tests). */
export async function closeRuntime(): Promise<void> {
	const holder = globalThis as Holder;
	const pending = holder[RUNTIME_KEY];
	delete holder[RUNTIME_KEY];
	if (pending) await (await pending).database.close();
}
