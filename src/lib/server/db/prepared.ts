/**
 * The hot statements Postgres should parse and plan once per connection, not per call. The sync
 * server's commit is one large statement (data-modifying CTEs over unnest'ed arrays) sent for
 * every group commit; as an unnamed statement Postgres parsed and planned it each time, ~0.3 ms
 * of a ~0.9 ms commit (measured on this machine: p50 0.93 → 0.65 ms).
 *
 * Kysely has no named statements, so the pool handed to its dialect names them: a statement whose
 * text was registered here is sent as a named prepared statement (pg keeps one per connection and
 * name). Only texts built from a fixed set of shapes may be registered — the registry is small and
 * bounded, and an unregistered text simply runs unnamed.
 *
 * Real Postgres only (db/open.ts): PGlite's socket clients share one session, where a name
 * prepared by one client already exists for the next. Behind PgBouncer, use session pooling, or
 * 1.21+ with max_prepared_statements set (transaction pooling alone loses named statements).
 */
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/** More distinct texts than this means a caller registers dynamic SQL: the rest run unnamed. */
const MAX_PREPARED = 64;
const names = new Map<string, string>();

/** Marks `sql` as worth preparing; returns it, for use inline. */
export function preparedStatement(sql: string): string {
	if (!names.has(sql) && names.size < MAX_PREPARED) names.set(sql, `tillit_${names.size + 1}`);
	return sql;
}

/** Kysely's view of `pool`, sending registered statements by name. */
export function preparingPool(pool: pg.Pool): PostgresPool {
	return {
		async connect() {
			const client = await pool.connect();
			const preparing: PostgresPoolClient = {
				// Two shapes, as Kysely calls them: (sql, parameters) and (cursor).
				query: ((sqlOrCursor: unknown, parameters?: readonly unknown[]) => {
					if (typeof sqlOrCursor !== 'string') return client.query(sqlOrCursor as never);
					const name = names.get(sqlOrCursor);
					const values = [...(parameters ?? [])];
					return name
						? client.query({ name, text: sqlOrCursor, values })
						: client.query(sqlOrCursor, values);
				}) as unknown as PostgresPoolClient['query'],
				release: (destroy?: boolean) => client.release(destroy)
			};
			return preparing;
		},
		end: () => pool.end()
	};
}
