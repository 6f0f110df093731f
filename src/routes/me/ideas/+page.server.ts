import { requireUser } from '$lib/server/guards';
import { listMyIdeas } from '$lib/server/my-ideas';
import type { PageServerLoad } from './$types';

/** The signed-in person's own ideas, on every board they can see, with what happened to each. */
export const load: PageServerLoad = async (event) => {
	const { user } = requireUser(event);
	return { ideas: await listMyIdeas(event.locals.runtime.database.db, user) };
};
