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
import { organisationExists, setUpOrganisation } from '$lib/server/organisation';
import { createSession } from '$lib/server/session';
import { setSessionCookie } from '$lib/server/session-cookie';
import { trustDevice } from '$lib/server/trusted-device';
import { setDeviceCookie } from '$lib/server/trusted-device-cookie';
import type { Actions, PageServerLoad } from './$types';

const SetupForm = v.object({
	organisationName: nameField,
	name: nameField,
	email: emailField,
	password: newPasswordField
});
const KEPT = ['organisationName', 'name', 'email'] as const;

/** A fresh install only: once an organisation exists, this page is gone for good. */
export const load: PageServerLoad = async ({ locals }) => {
	if (await organisationExists(locals.runtime.database.db)) {
		redirect(303, locals.user ? '/' : '/signin');
	}
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const { locals } = event;
		const db = locals.runtime.database.db;
		const formData = await event.request.formData();
		const values = keepValues(formData, KEPT);
		const parsed = parseForm(SetupForm, formData);
		if (!parsed.ok) return failForm(400, { errors: parsed.errors, values });
		const weak = passwordProblem(parsed.data.password, parsed.data.email);
		if (weak) return failForm(400, { errors: { password: weak }, values });

		const result = await setUpOrganisation(db, {
			organisationName: parsed.data.organisationName,
			account: { ...parsed.data, locale: getLocale() }
		});
		if (!result.ok) {
			locals.runtime.log.warn({ reason: result.reason }, 'organisation setup refused');
			return failForm(409, {
				message:
					result.reason === 'already_set_up' ? m.setup_already_done() : m.form_error_email_taken(),
				values
			});
		}
		locals.runtime.log.info(
			{ organisationId: result.organisationId, userId: result.userId },
			'organisation created'
		);
		const { token, session } = await createSession(db, result.userId);
		setSessionCookie(event, token, session.expiresAt);
		// The browser that made the account knows its password: failures elsewhere never lock it out.
		setDeviceCookie(event, await trustDevice(db, result.userId, null));
		redirect(303, '/admin');
	}
};
