import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { roleAtLeast } from '$lib/roles';
import { getBoardAccess } from '$lib/server/access';
import {
	createDisplayLink,
	DISPLAY_LABEL_MAX,
	displaySessionId,
	listDisplayLinks,
	revokeDisplayLink
} from '$lib/server/display-link';
import { boardAllowsAnonymousIdeas, setAnonymousIdeas } from '$lib/server/anonymous-ideas';
import { failForm, idField, parseForm } from '$lib/server/forms';
import { requireUser } from '$lib/server/guards';
import { isWellFormedId } from '$lib/server/id';
import { notifyAccessChanged } from '$lib/server/sync/access-changes';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const CreateForm = v.object({
	label: v.pipe(
		v.string(() => m.form_error_required()),
		v.trim(),
		v.nonEmpty(() => m.form_error_required()),
		v.maxLength(DISPLAY_LABEL_MAX, () => m.form_error_too_long({ max: DISPLAY_LABEL_MAX }))
	)
});
const RevokeForm = v.object({ linkId: idField });

/** Display links are the board's managers' to make and revoke (and the team's admins'). */
async function requireBoardManager(event: RequestEvent) {
	const { user } = requireUser(event);
	const { boardId } = event.params;
	if (!isWellFormedId(boardId)) error(404, m.error_not_found());
	const access = await getBoardAccess(event.locals.runtime.database.db, user, boardId);
	if (!access) error(404, m.error_not_found());
	if (!roleAtLeast(access.role, 'manager')) error(403, m.error_forbidden());
	return { user, access };
}

export const load: PageServerLoad = async (event) => {
	const { access } = await requireBoardManager(event);
	return {
		board: { id: access.boardId, name: access.boardName },
		links: await listDisplayLinks(event.locals.runtime.database.db, access.boardId),
		allowAnonymous: await boardAllowsAnonymousIdeas(
			event.locals.runtime.database.db,
			access.boardId
		),
		labelMax: DISPLAY_LABEL_MAX
	};
};

export const actions: Actions = {
	anonymous: async (event) => {
		const { user, access } = await requireBoardManager(event);
		const allowed = (await event.request.formData()).get('allowAnonymous') === 'on';
		await setAnonymousIdeas(event.locals.runtime.database.db, access.boardId, allowed);
		event.locals.runtime.log.info(
			{ boardId: access.boardId, allowed, by: user.id },
			'anonymous ideas set'
		);
		return {
			action: 'anonymous',
			done: allowed ? m.standup_anonymous_on() : m.standup_anonymous_off()
		};
	},

	create: async (event) => {
		const { user, access } = await requireBoardManager(event);
		const formData = await event.request.formData();
		const parsed = parseForm(CreateForm, formData);
		if (!parsed.ok) return failForm(400, { action: 'create', errors: parsed.errors });
		const { id, token } = await createDisplayLink(event.locals.runtime.database.db, {
			boardId: access.boardId,
			createdBy: user.id,
			label: parsed.data.label
		});
		event.locals.runtime.log.info(
			{ boardId: access.boardId, linkId: id, by: user.id },
			'display link created'
		);
		// Shown this once; only the hash is kept.
		return {
			action: 'create',
			link: `${event.url.origin}/display/${token}`,
			label: parsed.data.label
		};
	},

	revoke: async (event) => {
		const { user, access } = await requireBoardManager(event);
		const parsed = parseForm(RevokeForm, await event.request.formData());
		if (!parsed.ok) return failForm(400, { action: 'revoke', message: m.form_error_generic() });
		const db = event.locals.runtime.database.db;
		const revoked = await revokeDisplayLink(db, access.boardId, parsed.data.linkId);
		if (!revoked)
			return failForm(404, { action: 'revoke', message: m.standup_display_not_found() });
		// The TV's open socket is closed now, with the permanent "no access" code.
		await notifyAccessChanged({ sessionId: displaySessionId(parsed.data.linkId) });
		event.locals.runtime.log.info(
			{ boardId: access.boardId, linkId: parsed.data.linkId, by: user.id },
			'display link revoked'
		);
		return { action: 'revoke', done: m.standup_display_revoked() };
	}
};
