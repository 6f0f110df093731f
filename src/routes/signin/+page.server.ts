import { redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import {
	currentPasswordField,
	emailField,
	failForm,
	keepValues,
	parseForm
} from '$lib/server/forms';
import { safeRedirectTarget } from '$lib/server/guards';
import { setLocaleCookie } from '$lib/server/locale-cookie';
import { isOpenSignupEnabled, organisationExists } from '$lib/server/organisation';
import { minutesToWait, signInThrottle } from '$lib/server/rate-limit';
import { signInWithPassword } from '$lib/server/password-attempts';
import { createSession } from '$lib/server/session';
import { setSessionCookie } from '$lib/server/session-cookie';
import { getDeviceCookie, setDeviceCookie } from '$lib/server/trusted-device-cookie';
import type { Actions, PageServerLoad } from './$types';

const SignInForm = v.object({ email: emailField, password: currentPasswordField });

export const load: PageServerLoad = async ({ locals, url }) => {
	const db = locals.runtime.database.db;
	const redirectTo = safeRedirectTarget(url.searchParams.get('redirectTo'));
	if (locals.user) redirect(303, redirectTo);
	if (!(await organisationExists(db))) redirect(303, '/setup');
	return { redirectTo, openSignup: await isOpenSignupEnabled(db) };
};

export const actions: Actions = {
	default: async (event) => {
		const { locals } = event;
		const db = locals.runtime.database.db;
		const log = locals.runtime.log;
		const formData = await event.request.formData();
		const values = keepValues(formData, ['email']);
		const parsed = parseForm(SignInForm, formData);
		if (!parsed.ok) return failForm(400, { errors: parsed.errors, values });

		const address = event.getClientAddress();
		const result = await signInWithPassword(db, parsed.data, {
			throttle: signInThrottle,
			address,
			deviceToken: getDeviceCookie(event)
		});
		if (!result.ok) {
			if (result.reason === 'throttled') {
				log.warn({ address }, 'sign-in throttled');
				return failForm(429, {
					message: m.auth_throttled({ minutes: minutesToWait(result.retryAfterMs) }),
					values
				});
			}
			log.warn({ address }, 'sign-in failed: wrong email or password');
			return failForm(400, { message: m.auth_signin_failed(), values });
		}
		const { user } = result;
		setDeviceCookie(event, result.deviceToken);
		const { token, session } = await createSession(db, user.id);
		setSessionCookie(event, token, session.expiresAt);
		// The language this person chose before, on whatever device, applies again.
		if (user.locale) setLocaleCookie(event, user.locale);
		log.info({ userId: user.id }, 'signed in');
		redirect(303, safeRedirectTarget(formData.get('redirectTo')));
	}
};
