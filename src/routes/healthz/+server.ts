import { json } from '@sveltejs/kit';
import { sql } from 'kysely';
import type { RequestHandler } from './$types';

/** Liveness + readiness: 200 when the database answers, 503 otherwise. No secrets, no session. */
export const GET: RequestHandler = async ({ locals }) => {
	try {
		await sql`select 1`.execute(locals.runtime.database.db);
		return json({ status: 'ok', database: locals.runtime.database.kind });
	} catch {
		return json({ status: 'unavailable' }, { status: 503 });
	}
};
