import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { readJsonBody } from './json-body';

const Body = v.object({ userId: v.string() });
const post = (body: string | null, contentType?: string) =>
	new Request('https://tillit.example.se/api', {
		method: 'POST',
		body,
		headers: contentType ? { 'content-type': contentType } : {}
	});

describe('readJsonBody', () => {
	it('reads a JSON body that matches the schema', async () => {
		expect(await readJsonBody(post('{"userId":"usr_1"}', 'application/json'), Body)).toEqual({
			ok: true,
			data: { userId: 'usr_1' }
		});
		expect(
			await readJsonBody(post('{"userId":"usr_1"}', 'Application/JSON; charset=utf-8'), Body)
		).toMatchObject({ ok: true });
	});

	it('refuses any other content type, a missing body, broken JSON and the wrong shape', async () => {
		const notJson = { ok: false, reason: 'not_json' };
		const invalid = { ok: false, reason: 'invalid' };
		expect(await readJsonBody(post(null), Body)).toEqual(notJson);
		expect(
			await readJsonBody(post('userId=usr_1', 'application/x-www-form-urlencoded'), Body)
		).toEqual(notJson);
		expect(await readJsonBody(post('{"userId":"usr_1"}', 'text/plain'), Body)).toEqual(notJson);
		expect(await readJsonBody(post('{"userId":"usr_1"}', 'application/jsonx'), Body)).toEqual(
			notJson
		);
		expect(await readJsonBody(post(null, 'application/json'), Body)).toEqual(invalid);
		expect(await readJsonBody(post('{"userId":', 'application/json'), Body)).toEqual(invalid);
		expect(await readJsonBody(post('{"userId":7}', 'application/json'), Body)).toEqual(invalid);
	});
});
