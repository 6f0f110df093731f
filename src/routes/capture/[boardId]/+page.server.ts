import { error, fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { IDEA_TEXT_MAX } from '$lib/board/idea';
import { BENEFICIARY_MAX_LENGTH } from '$lib/board/document';
import { canEditBoard } from '$lib/roles';
import { getBoardAccess } from '$lib/server/access';
import { boardAllowsAnonymousIdeas, proposeAnonymously } from '$lib/server/anonymous-ideas';
import { parseForm } from '$lib/server/forms';
import { requireUser } from '$lib/server/guards';
import { isWellFormedId } from '$lib/server/id';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

async function requireBoard(event: RequestEvent) {
	const { user } = requireUser(event);
	const { boardId } = event.params;
	if (!isWellFormedId(boardId)) error(404, m.error_not_found());
	const access = await getBoardAccess(event.locals.runtime.database.db, user, boardId);
	if (!access) error(404, m.error_not_found());
	return { user, access };
}

/**
 * The phone's idea page for one board (the stand-up screen's QR code opens it): for the board's
 * team. Viewers see it too, but may not propose: the server drops their document writes anyway.
 */
export const load: PageServerLoad = async (event) => {
	const { user, access } = await requireBoard(event);
	return {
		board: { id: access.boardId, name: access.boardName, teamName: access.teamName },
		role: access.role,
		canPropose: canEditBoard(access.role),
		allowAnonymous: await boardAllowsAnonymousIdeas(
			event.locals.runtime.database.db,
			access.boardId
		),
		user: { id: user.id, name: user.name }
	};
};

const text = (max: number) => v.pipe(v.optional(v.string(), ''), v.trim(), v.maxLength(max));
const AnonymousForm = v.object({
	cardId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/)),
	problem: v.pipe(
		text(IDEA_TEXT_MAX),
		v.nonEmpty(() => m.standup_capture_problem_required())
	),
	beneficiary: text(BENEFICIARY_MAX_LENGTH),
	idea: text(IDEA_TEXT_MAX)
});

export const actions: Actions = {
	/** An idea without the proposer's name (where the board allows it): created by the server. */
	anonymous: async (event) => {
		const { user, access } = await requireBoard(event);
		if (!canEditBoard(access.role)) error(403, m.error_forbidden());
		const parsed = parseForm(AnonymousForm, await event.request.formData());
		if (!parsed.ok) return fail(400, { message: parsed.errors.problem ?? m.form_error_generic() });
		const result = await proposeAnonymously(event.locals.runtime.database.db, {
			boardId: access.boardId,
			userId: user.id,
			...parsed.data,
			creditedAs: m.standup_anonymous_colleague()
		});
		if (!result.ok) {
			const message =
				result.reason === 'too_many'
					? m.standup_anonymous_too_many()
					: result.reason === 'not_allowed'
						? m.standup_anonymous_not_allowed()
						: m.error_not_found();
			return fail(result.reason === 'too_many' ? 429 : 403, { message });
		}
		return { sent: parsed.data.cardId };
	}
};
