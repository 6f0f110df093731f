import { redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { setDisplayCookie } from '$lib/server/display-cookie';
import { validateDisplayToken } from '$lib/server/display-link';
import type { PageServerLoad } from './$types';

/**
 * A TV opens its display link once: the token moves into a long-lived HttpOnly cookie (so a
 * restarted kiosk browser is still signed in) and the TV goes to the board's stand-up screen.
 * A revoked or unknown link shows a page that says so, with the way to sign in.
 */
export const load: PageServerLoad = async (event) => {
	const display = await validateDisplayToken(event.locals.runtime.database.db, event.params.token);
	if (!display) return { valid: false };
	setDisplayCookie(event, event.params.token);
	redirect(303, resolve('/boards/[boardId]/standup', { boardId: display.boardId }));
};
