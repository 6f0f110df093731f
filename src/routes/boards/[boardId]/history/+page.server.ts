import { error, fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { getBoardAccess } from '$lib/server/access';
import { requireUser } from '$lib/server/guards';
import { loadHistoryPage, mayManageHistory } from '$lib/server/history/history-page';
import { restoreVersion, saveNamedVersion } from '$lib/server/history/restore';
import { VERSION_NAME_MAX } from '$lib/server/history/versions';
import { isWellFormedId } from '$lib/server/id';
import { restoreFromTrash } from '$lib/server/trash';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const IdForm = v.object({ id: v.pipe(v.string(), v.regex(/^[0-9]{1,18}$/)) });
const NameForm = v.object({
	name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(VERSION_NAME_MAX))
});

async function boardFor(event: RequestEvent) {
	const { user } = requireUser(event);
	const { boardId } = event.params;
	if (!isWellFormedId(boardId)) error(404, m.error_not_found());
	const access = await getBoardAccess(event.locals.runtime.database.db, user, boardId);
	if (!access) error(404, m.error_not_found());
	return { user, access };
}

async function formId(event: RequestEvent) {
	const parsed = v.safeParse(IdForm, Object.fromEntries(await event.request.formData()));
	return parsed.success ? parsed.output.id : null;
}

/** A board's versions, a read-only preview of one, its trash: everyone who sees the board. */
export const load: PageServerLoad = async (event) => {
	const { user, access } = await boardFor(event);
	const previewId = event.url.searchParams.get('preview');
	const page = await loadHistoryPage(event.locals.runtime.database.db, {
		boardId: access.boardId,
		userId: user.id,
		role: access.role,
		previewId: previewId && /^[0-9]{1,18}$/.test(previewId) ? previewId : null
	});
	return {
		board: { id: access.boardId, name: access.boardName, teamId: access.teamId },
		canManage: mayManageHistory(access.role),
		...page
	};
};

export const actions: Actions = {
	/** Managers only; a version that is not this board's is not theirs to restore: 403. */
	restore: async (event) => {
		const { user, access } = await boardFor(event);
		if (!mayManageHistory(access.role)) error(403, m.error_forbidden());
		const id = await formId(event);
		if (!id) error(403, m.history_version_missing());
		const outcome = await restoreVersion(event.locals.runtime.database.db, {
			boardId: access.boardId,
			versionId: id,
			userId: user.id
		});
		if (!outcome.ok) {
			if (outcome.reason === 'no_version') error(403, m.history_version_missing());
			error(404, m.error_not_found());
		}
		return { restored: { versionId: id, count: outcome.cardsChanged } };
	},
	save: async (event) => {
		const { user, access } = await boardFor(event);
		if (!mayManageHistory(access.role)) error(403, m.error_forbidden());
		const parsed = v.safeParse(NameForm, Object.fromEntries(await event.request.formData()));
		if (!parsed.success) return fail(400, { message: m.history_name_invalid() });
		const saved = await saveNamedVersion(event.locals.runtime.database.db, {
			boardId: access.boardId,
			userId: user.id,
			name: parsed.output.name
		});
		if (!saved.ok) error(404, m.error_not_found());
		return { done: m.history_saved({ name: parsed.output.name }) };
	},
	putBack: async (event) => {
		const { user, access } = await boardFor(event);
		const id = await formId(event);
		if (!id) return fail(400, { message: m.history_trash_gone() });
		const outcome = await restoreFromTrash(event.locals.runtime.database.db, {
			boardId: access.boardId,
			trashId: id,
			userId: user.id,
			role: access.role
		});
		if (outcome.ok) return { done: m.history_trash_restored() };
		if (outcome.reason === 'forbidden') {
			return fail(403, { message: m.history_trash_forbidden() });
		}
		if (outcome.reason === 'card_exists') return fail(409, { message: m.history_trash_exists() });
		return fail(404, { message: m.history_trash_gone() });
	}
};
