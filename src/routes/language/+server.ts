import { redirect } from '@sveltejs/kit';
import { isLocale } from '$lib/paraglide/runtime';
import { safeRedirectTarget } from '$lib/server/guards';
import { setLocaleCookie } from '$lib/server/locale-cookie';
import { setUserLocale } from '$lib/server/user';
import type { RequestHandler } from './$types';

/**
 * The language switch: a plain form post, so it works without JavaScript. The choice goes into
 * Paraglide's cookie and, for a signed-in person, into their account (re-applied at sign-in).
 */
export const POST: RequestHandler = async (event) => {
	const form = await event.request.formData().catch(() => new FormData());
	const locale = form.get('locale');
	const back = safeRedirectTarget(form.get('redirectTo'));
	if (isLocale(locale)) {
		setLocaleCookie(event, locale);
		if (event.locals.user) {
			await setUserLocale(event.locals.runtime.database.db, event.locals.user.id, locale);
		}
	}
	redirect(303, back);
};
