/**
 * Input of a state-changing API route: a JSON body checked against a schema, never the query
 * string (a URL is logged, cached and shared; a body is not) and never a form body (which another
 * site can send without asking the browser first).
 */
import * as v from 'valibot';

export type JsonBodyResult<T> =
	{ ok: true; data: T } | { ok: false; reason: 'not_json' | 'invalid' };

export async function readJsonBody<TSchema extends v.GenericSchema>(
	request: Request,
	schema: TSchema
): Promise<JsonBodyResult<v.InferOutput<TSchema>>> {
	const contentType = request.headers.get('content-type') ?? '';
	const mediaType = contentType.split(';')[0] ?? '';
	if (mediaType.trim().toLowerCase() !== 'application/json') {
		return { ok: false, reason: 'not_json' };
	}
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		return { ok: false, reason: 'invalid' };
	}
	const parsed = v.safeParse(schema, body);
	return parsed.success ? { ok: true, data: parsed.output } : { ok: false, reason: 'invalid' };
}
