import { describe, expect, it } from 'vitest';
import { NON_PAGE_CSP, allowConnectTo, setSecurityHeaders, socketOrigin } from './security-headers';

describe('socketOrigin', () => {
	it('is the page origin with the websocket scheme', () => {
		expect(socketOrigin(new URL('https://tillit.example.se/boards/b1'))).toBe(
			'wss://tillit.example.se'
		);
		expect(socketOrigin(new URL('http://127.0.0.1:4322/'))).toBe('ws://127.0.0.1:4322');
	});
});

describe('allowConnectTo', () => {
	it('adds the source to connect-src and leaves the rest of the policy alone', () => {
		expect(
			allowConnectTo("default-src 'self'; connect-src 'self'; img-src 'self'", 'wss://a.se')
		).toBe("default-src 'self'; connect-src 'self' wss://a.se; img-src 'self'");
		expect(allowConnectTo("connect-src 'self'", 'ws://a.se')).toBe("connect-src 'self' ws://a.se");
	});

	it('changes nothing when the policy has no connect-src (default-src then decides)', () => {
		expect(allowConnectTo("default-src 'self'", 'wss://a.se')).toBe("default-src 'self'");
	});
});

describe('setSecurityHeaders', () => {
	it('sets the usual headers, HSTS only over https, and a nothing-allowed policy for non-pages', () => {
		const json = new Headers({ 'content-type': 'application/json' });
		setSecurityHeaders(json, new URL('http://127.0.0.1/api'));
		expect(json.get('x-content-type-options')).toBe('nosniff');
		expect(json.get('cross-origin-opener-policy')).toBe('same-origin');
		expect(json.get('permissions-policy')).toContain('camera=()');
		expect(json.get('strict-transport-security')).toBeNull();
		expect(json.get('content-security-policy')).toBe(NON_PAGE_CSP);

		const page = new Headers({
			'content-type': 'text/html',
			'content-security-policy': "script-src 'self' 'nonce-abc'; connect-src 'self'"
		});
		setSecurityHeaders(page, new URL('https://tillit.example.se/'));
		expect(page.get('strict-transport-security')).toContain('max-age=');
		expect(page.get('content-security-policy')).toBe(
			"script-src 'self' 'nonce-abc'; connect-src 'self' wss://tillit.example.se"
		);
	});
});
