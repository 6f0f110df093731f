/**
 * Form validation for the SvelteKit routes (valibot): one schema per field kind, messages in the
 * person's language (the message functions run inside the request, so Paraglide knows the
 * locale), and one way to turn a submitted FormData into either data or per-field errors.
 */
import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { ROLES } from '$lib/roles';
import type { FormFailure } from '$lib/types';
import { findTextProblem, normaliseText, type TextKind, type TextProblem } from './text-rules';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, checkPasswordStrength } from './password';

export const NAME_MAX_LENGTH = 120;
export const EMAIL_MAX_LENGTH = 254;

const required = () => m.form_error_required();
const tooLong = (max: number) => () => m.form_error_too_long({ max });

function textProblemMessage(problem: TextProblem | null): string {
	switch (problem) {
		case 'malformed':
			return m.security_text_malformed();
		case 'control':
			return m.security_text_control();
		case 'line_break':
			return m.security_text_single_line();
		case 'bidi':
			return m.security_text_bidi();
		case null:
			return m.form_error_generic();
	}
}

/**
 * The pipe of every typed text field (see `text-rules.ts`): NFC, the control-character and bidi
 * rule for its kind, then trimmed and length-checked. Without a default it is required.
 */
export function textField(kind: TextKind, max: number, options: { optional?: boolean } = {}) {
	const text = v.pipe(
		v.string(required),
		v.transform((value: string) => normaliseText(value, kind)),
		v.check(
			(value) => findTextProblem(value, kind) === null,
			(issue) =>
				textProblemMessage(
					typeof issue.input === 'string' ? findTextProblem(issue.input, kind) : null
				)
		),
		v.trim(),
		v.maxLength(max, tooLong(max))
	);
	return options.optional ? v.optional(text, '') : v.pipe(text, v.nonEmpty(required));
}

/** A person's, team's, board's or organisation's name. */
export const nameField = textField('name', NAME_MAX_LENGTH);

export const emailField = v.pipe(
	v.string(required),
	v.trim(),
	v.toLowerCase(),
	v.nonEmpty(required),
	v.maxLength(EMAIL_MAX_LENGTH, tooLong(EMAIL_MAX_LENGTH)),
	v.email(() => m.form_error_email())
);

/** A new password: length here; the strength rule needs the email, see `passwordProblem`. */
export const newPasswordField = v.pipe(
	v.string(required),
	v.nonEmpty(required),
	v.minLength(PASSWORD_MIN_LENGTH, () => m.form_error_password_short({ min: PASSWORD_MIN_LENGTH })),
	v.maxLength(PASSWORD_MAX_LENGTH, tooLong(PASSWORD_MAX_LENGTH))
);

/** A password being checked (never trimmed: spaces are part of it). */
export const currentPasswordField = v.pipe(
	v.string(required),
	v.nonEmpty(required),
	v.maxLength(PASSWORD_MAX_LENGTH, tooLong(PASSWORD_MAX_LENGTH))
);

export const roleField = v.picklist(ROLES, () => m.form_error_choose());

/** Ids arrive from hidden fields and selects; anything else is not an id. */
export const idField = v.pipe(
	v.string(required),
	v.regex(/^[A-Za-z0-9_-]{1,64}$/, () => m.form_error_choose())
);

/** Strength beyond length (common passwords, the email in it), as a message or null. */
export function passwordProblem(password: string, email: string): string | null {
	switch (checkPasswordStrength(password, email)) {
		case 'too_short':
			return m.form_error_password_short({ min: PASSWORD_MIN_LENGTH });
		case 'too_long':
			return m.form_error_too_long({ max: PASSWORD_MAX_LENGTH });
		case 'too_common':
			return m.form_error_password_common();
		case 'contains_email':
			return m.form_error_password_email();
		case null:
			return null;
	}
}

export type FieldErrors = Record<string, string>;

export type ParsedForm<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Validates a submitted form against an object schema; each field gets its first message. */
export function parseForm<TSchema extends v.GenericSchema<Record<string, unknown>>>(
	schema: TSchema,
	formData: FormData
): ParsedForm<v.InferOutput<TSchema>> {
	const input: Record<string, unknown> = {};
	for (const [key, value] of formData) {
		// Only the first value of a repeated field counts; files are not text.
		if (!(key in input)) input[key] = typeof value === 'string' ? value : undefined;
	}
	const result = v.safeParse(schema, input);
	if (result.success) return { ok: true, data: result.output };
	const errors: FieldErrors = {};
	for (const [field, messages] of Object.entries(v.flatten(result.issues).nested ?? {})) {
		const first = messages?.[0];
		if (first) errors[field] = first;
	}
	if (Object.keys(errors).length === 0) errors.form = m.form_error_generic();
	return { ok: false, errors };
}

/** Text fields to send back after a failed submit, so nobody types them again. Never passwords. */
export function keepValues(formData: FormData, fields: readonly string[]): Record<string, string> {
	const values: Record<string, string> = {};
	for (const field of fields) {
		const value = formData.get(field);
		// Capped: an over-long field must not be echoed back whole.
		if (typeof value === 'string') values[field] = value.slice(0, 1000);
	}
	return values;
}

/** `fail()` with the one failure shape every form reads (message, field errors, kept values). */
export function failForm(status: number, failure: FormFailure) {
	return fail(status, failure);
}
