import { error, json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { canCreateBoards } from '$lib/roles';
import { requireTeamPermission } from '$lib/server/guards';
import { applyImport } from '$lib/server/import/apply';
import { cleanTitle, IMPORT_LIMITS } from '$lib/server/import/plan';
import { failureMessage, isImportFormat, previewOf, readImport } from '$lib/server/import/run';
import type { RequestHandler } from './$types';

/**
 * mode=preview: what the file would create (JSON), nothing stored. mode=import: the same reading,
 * then the new board is written while progress lines stream back (NDJSON), ending in `done` or
 * `error`. Managers and admins of the team, like creating a board.
 */
export const POST: RequestHandler = async (event) => {
	const { user, access } = await requireTeamPermission(event, event.params.teamId, canCreateBoards);
	const length = Number(event.request.headers.get('content-length') ?? '0');
	if (length > IMPORT_LIMITS.maxBytes + 64 * 1024) {
		return json(
			{
				ok: false,
				message: m.history_import_fail_too_large({
					mb: Math.round(IMPORT_LIMITS.maxBytes / 1048576)
				})
			},
			{ status: 413 }
		);
	}
	let form: FormData;
	try {
		form = await event.request.formData();
	} catch {
		error(400, m.history_import_fail_no_file());
	}
	const file = form.get('file');
	const format = form.get('format');
	const mode = form.get('mode');
	if (!(file instanceof File) || file.size === 0) {
		return json({ ok: false, message: m.history_import_fail_no_file() }, { status: 400 });
	}
	if (!isImportFormat(format) || (mode !== 'preview' && mode !== 'import')) error(400);
	const reading = readImport(format, new Uint8Array(await file.arrayBuffer()), file.name);
	if (!reading.ok) return json({ ok: false, message: failureMessage(reading) }, { status: 422 });
	if (mode === 'preview') return json({ ok: true, preview: previewOf(reading.plan) });

	const requestedName = cleanTitle(form.get('boardName'));
	const boardName = (requestedName || reading.plan.boardName).slice(0, 120);
	const db = event.locals.runtime.database.db;
	const encoder = new TextEncoder();
	const stream = new ReadableStream<Uint8Array>({
		async start(controller) {
			const send = (line: unknown) =>
				controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
			try {
				const imported = await applyImport(db, {
					teamId: access.teamId,
					user: { id: user.id, name: user.name },
					plan: reading.plan,
					boardName,
					onProgress: async (done, total) => {
						send({ progress: { done, total } });
						// Let the line leave before building the next cards.
						await new Promise((resolve) => setImmediate(resolve));
					}
				});
				send({ done: { boardId: imported.boardId, boardName, cards: imported.cards } });
			} catch (cause) {
				event.locals.runtime.log.error({ err: cause, team: access.teamId }, 'import failed');
				send({ error: m.history_import_fail_failed() });
			}
			controller.close();
		}
	});
	return new Response(stream, {
		headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' }
	});
};
