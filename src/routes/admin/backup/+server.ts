import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { backupStream } from '$lib/server/backup/files';
import { attachmentName } from '$lib/server/export/download';
import { requireOrgAdmin } from '$lib/server/guards';
import type { RequestHandler } from './$types';

/**
 * The installation's backup (the same file as `npm run backup`), for the admin of an installation
 * that holds ONE organisation: a backup holds every organisation, so with several, no single
 * organisation's admin may download it (it is made on the server instead).
 */
export const GET: RequestHandler = async (event) => {
	const user = requireOrgAdmin(event);
	const { database } = event.locals.runtime;
	const others = await database.db
		.selectFrom('organisations')
		.select('id')
		.where('id', '!=', user.organisationId)
		.limit(1)
		.execute();
	if (others.length > 0) error(403, m.history_admin_backup_multi());
	return new Response(backupStream(database.db, database.kind), {
		headers: {
			'content-type': 'application/gzip',
			'content-disposition': `attachment; filename="${attachmentName('backup', 'installation', 'gz')}"`,
			'cache-control': 'no-store'
		}
	});
};
