import { redirect } from '@sveltejs/kit';
import { invalidateSession } from '$lib/server/session';
import { notifyAccessChanged } from '$lib/server/sync/access-changes';
import { deleteSessionCookie } from '$lib/server/session-cookie';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.user) redirect(303, '/signin');
	return {};
};

/** Signing out is a POST (a link or an image could otherwise sign people out). */
export const actions: Actions = {
	default: async (event) => {
		const { locals } = event;
		if (locals.session) {
			await invalidateSession(locals.runtime.database.db, locals.session.id);
			await notifyAccessChanged({ sessionId: locals.session.id });
		}
		deleteSessionCookie(event);
		// The sign-in page deletes this browser's local board copies when it sees the flag.
		redirect(303, '/signin?signedOut=1');
	}
};
