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
import { createSession } from '$lib/server/session';
import { setSessionCookie } from '$lib/server/session-cookie';
import { authenticateUser, normaliseEmail } from '$lib/server/user';
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

		const account = normaliseEmail(parsed.data.email);
		const address = event.getClientAddress();
		const decision = signInThrottle.check(account, address);
		if (!decision.allowed) {
			log.warn({ address }, 'sign-in throttled');
			return failForm(429, {
				message: m.auth_throttled({ minutes: minutesToWait(decision.retryAfterMs) }),
				values
			});
		}

		const user = await authenticateUser(db, account, parsed.data.password);
		if (!user) {
			signInThrottle.recordFailure(account, address);
			log.warn({ address }, 'sign-in failed: wrong email or password');
			return failForm(400, { message: m.auth_signin_failed(), values });
		}
		signInThrottle.recordSuccess(account);
		const { token, session } = await createSession(db, user.id);
		setSessionCookie(event, token, session.expiresAt);
		// The language this person chose before, on whatever device, applies again.
		if (user.locale) setLocaleCookie(event, user.locale);
		log.info({ userId: user.id }, 'signed in');
		redirect(303, safeRedirectTarget(formData.get('redirectTo')));
	}
};
