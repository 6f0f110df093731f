/**
 * The HTTP side of an export: a streamed body with a file name the browser saves it under.
 * Names are ASCII only (ids and a date), so no header can be broken by a board's name.
 */
import { exportJson, toStream, type ExportScope } from './org-export';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export function attachmentName(kind: string, id: string, extension: string, now = new Date()) {
	const safe = id.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64);
	return `tillit-${kind}-${safe}-${now.toISOString().slice(0, 10)}.${extension}`;
}

export function jsonExportResponse(db: Kysely<Database>, scope: ExportScope, id: string) {
	return new Response(toStream(exportJson(db, scope)), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="${attachmentName(scope.kind, id, 'json')}"`,
			'cache-control': 'no-store'
		}
	});
}
