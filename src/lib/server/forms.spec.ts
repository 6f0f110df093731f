import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import {
	emailField,
	keepValues,
	nameField,
	newPasswordField,
	parseForm,
	passwordProblem
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
