import { requireBoardApi } from '$lib/server/board-api';
import { cardsCsv } from '$lib/server/export/cards-csv';
import { attachmentName, jsonExportResponse } from '$lib/server/export/download';
import { getBoardDocumentState } from '$lib/server/projection/store';
import type { RequestHandler } from './$types';

/** The board as one JSON file, or (?format=csv) its cards as CSV; for everyone who sees the board. */
export const GET: RequestHandler = async (event) => {
	const { user, access } = await requireBoardApi(event, event.params.boardId);
	const db = event.locals.runtime.database.db;
	if (event.url.searchParams.get('format') === 'csv') {
		const csv = cardsCsv(await getBoardDocumentState(db, access.boardId));
		return new Response(`\uFEFF${csv}`, {
			headers: {
				'content-type': 'text/csv; charset=utf-8',
				'content-disposition': `attachment; filename="${attachmentName('cards', access.boardId, 'csv')}"`,
				'cache-control': 'no-store'
			}
		});
	}
	return jsonExportResponse(
		db,
		{
			kind: 'board',
			organisationId: user.organisationId,
			teamId: access.teamId,
			boardId: access.boardId
		},
		access.boardId
	);
};
