import { redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import {
	emailField,
	failForm,
	keepValues,
	nameField,
	newPasswordField,
	parseForm,
	passwordProblem
} from '$lib/server/forms';
import { isOpenSignupEnabled } from '$lib/server/organisation';
import { createSession } from '$lib/server/session';
import { setSessionCookie } from '$lib/server/session-cookie';
import { trustDevice } from '$lib/server/trusted-device';
import { setDeviceCookie } from '$lib/server/trusted-device-cookie';
import { signUpByOpenDomain } from '$lib/server/user';
import type { Actions, PageServerLoad } from './$types';

const SignUpForm = v.object({ name: nameField, email: emailField, password: newPasswordField });

/** Open sign-up: only for an email domain an org admin has opened (see /admin). */
export const load: PageServerLoad = async ({ locals }) => {
	if (locals.user) redirect(303, '/');
	return { openSignup: await isOpenSignupEnabled(locals.runtime.database.db) };
};

export const actions: Actions = {
	default: async (event) => {
		const { locals } = event;
		const db = locals.runtime.database.db;
		const formData = await event.request.formData();
		const values = keepValues(formData, ['name', 'email']);
		const parsed = parseForm(SignUpForm, formData);
		if (!parsed.ok) return failForm(400, { errors: parsed.errors, values });
		const weak = passwordProblem(parsed.data.password, parsed.data.email);
		if (weak) return failForm(400, { errors: { password: weak }, values });

		const result = await signUpByOpenDomain(db, { ...parsed.data, locale: getLocale() });
		if (!result.ok) {
			const error =
				result.reason === 'not_allowed'
					? m.signup_domain_not_allowed()
					: m.form_error_email_taken();
			return failForm(result.reason === 'not_allowed' ? 403 : 400, {
				errors: { email: error },
				values
			});
		}
		locals.runtime.log.info({ userId: result.userId, teamId: result.teamId }, 'signed up (open)');
		const { token, session } = await createSession(db, result.userId);
		setSessionCookie(event, token, session.expiresAt);
		// The browser that made the account knows its password: failures elsewhere never lock it out.
		setDeviceCookie(event, await trustDevice(db, result.userId, null));
		redirect(303, `/teams/${result.teamId}?welcome=1`);
	}
};
