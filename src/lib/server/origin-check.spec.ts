import { describe, expect, it } from 'vitest';
import { checkRequestOrigin } from './origin-check';

const own = 'https://tillit.example.se';

describe('checkRequestOrigin', () => {
	it('lets safe methods through whatever their origin', () => {
		for (const method of ['GET', 'HEAD', 'OPTIONS', 'get']) {
			expect(checkRequestOrigin(method, 'https://evil.example', own)).toEqual({ ok: true });
			expect(checkRequestOrigin(method, null, own)).toEqual({ ok: true });
		}
	});

	it('accepts a state-changing request only from our own origin', () => {
		for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'PROPFIND']) {
			expect(checkRequestOrigin(method, own, own)).toEqual({ ok: true });
			expect(checkRequestOrigin(method, null, own)).toEqual({
				ok: false,
				reason: 'missing_origin'
			});
			for (const foreign of [
				'https://evil.example',
				'null',
				'http://tillit.example.se', // another scheme is another origin
				'https://tillit.example.se:8443',
				'https://tillit.example.se.evil.example'
			]) {
				expect(checkRequestOrigin(method, foreign, own)).toEqual({
					ok: false,
					reason: 'foreign_origin'
				});
			}
		}
	});
});
