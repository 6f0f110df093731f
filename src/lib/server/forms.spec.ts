import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import {
	NAME_MAX_LENGTH,
	emailField,
	keepValues,
	nameField,
	newPasswordField,
	parseForm,
	passwordProblem,
	textField
} from './forms';
import { safeRedirectTarget } from './guards';

const SignUp = v.object({ name: nameField, email: emailField, password: newPasswordField });

function formOf(fields: Record<string, string>): FormData {
	const data = new FormData();
	for (const [key, value] of Object.entries(fields)) data.append(key, value);
	return data;
}

describe('parseForm', () => {
	it('trims names and lower-cases emails, but never touches passwords', () => {
		const parsed = parseForm(
			SignUp,
			formOf({ name: '  Ada  ', email: ' Ada@Example.SE ', password: '  spaced passphrase  ' })
		);
		expect(parsed).toEqual({
			ok: true,
			data: { name: 'Ada', email: 'ada@example.se', password: '  spaced passphrase  ' }
		});
	});

	it('answers one message per bad field: missing, too long, not an email, too short', () => {
		const parsed = parseForm(
			SignUp,
			formOf({ name: 'x'.repeat(121), email: 'not-an-email', password: 'short' })
		);
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(Object.keys(parsed.errors).sort()).toEqual(['email', 'name', 'password']);
		expect(parseForm(SignUp, formOf({})).ok).toBe(false);
	});

	it('treats an uploaded file as a missing field, not as text', () => {
		const data = formOf({ email: 'a@example.se', password: 'long enough passphrase' });
		data.append('name', new Blob(['x']), 'name.txt');
		const parsed = parseForm(SignUp, data);
		expect(parsed.ok === false && Object.keys(parsed.errors)).toEqual(['name']);
	});
});

describe('textField (the one text rule in forms)', () => {
	const Named = v.object({ name: nameField });
	const Note = v.object({ note: textField('multiline', 50, { optional: true }) });

	it('refuses control characters and bidi overrides in a name with a clear message', () => {
		for (const [name, message] of [
			['Ada\u0000', m.security_text_control()],
			['Ada\u0007Bell', m.security_text_control()],
			['\u001b[31mAda', m.security_text_control()],
			['Ada\nLovelace', m.security_text_single_line()],
			['Ada \u202Eecalevol', m.security_text_bidi()]
		] as const) {
			expect(parseForm(Named, formOf({ name }))).toEqual({ ok: false, errors: { name: message } });
		}
	});

	it('stores a name in NFC, so its length is counted after normalising', () => {
		const decomposed = 'A\u030A'.repeat(NAME_MAX_LENGTH); // each "Å" is two code units
		expect(parseForm(Named, formOf({ name: decomposed }))).toEqual({
			ok: true,
			data: { name: 'Å'.repeat(NAME_MAX_LENGTH) }
		});
	});

	it('keeps line breaks in a multi-line field, and an optional one may be left out', () => {
		expect(parseForm(Note, formOf({ note: ' first\r\nsecond ' }))).toEqual({
			ok: true,
			data: { note: 'first\nsecond' }
		});
		expect(parseForm(Note, formOf({}))).toEqual({ ok: true, data: { note: '' } });
		expect(parseForm(Note, formOf({ note: 'ring\u0007' })).ok).toBe(false);
	});
});

describe('passwordProblem', () => {
	it('refuses common passwords and ones containing the email, accepts a passphrase', () => {
		expect(passwordProblem('password123', 'ada@example.se')).not.toBeNull();
		expect(passwordProblem('bertil-the-great', 'bertil@example.se')).not.toBeNull();
		expect(passwordProblem('correct horse battery', 'ada@example.se')).toBeNull();
	});
});

describe('keepValues', () => {
	it('keeps only the named text fields, capped in length', () => {
		const kept = keepValues(formOf({ name: 'y'.repeat(5000), password: 'secret!' }), ['name']);
		expect(kept).toEqual({ name: 'y'.repeat(1000) });
	});
});

describe('safeRedirectTarget', () => {
	it('allows same-site paths only', () => {
		expect(safeRedirectTarget('/teams/team_1?welcome=1')).toBe('/teams/team_1?welcome=1');
		for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', '', null, 42]) {
			expect(safeRedirectTarget(bad)).toBe('/');
		}
	});
});
