import { flowExportResponse } from '$lib/server/analytics/export-response';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) =>
	flowExportResponse(event, { kind: 'board', boardId: event.params.boardId }, 'cards');
