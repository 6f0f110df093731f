/**
 * The standards library's two pages (organisation-wide and one team's) share their load and their
 * "Adopt in my team" action: SvelteKit glue around src/lib/server/standards.ts.
 */
import type { RequestEvent } from '@sveltejs/kit';
import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { boardCardHref } from '$lib/links';
import type { StandardDto } from '$lib/types';
import { getBoardAccess } from './access';
import { serverToday } from './follow-up';
import { failForm, idField, keepValues, parseForm } from './forms';
import { requireUser } from './guards';
import {
	adoptStandard,
	listAdoptionBoards,
	listStandards,
	STANDARD_SEARCH_MAX_LENGTH
} from './standards';

type PageEvent = Pick<RequestEvent, 'locals' | 'url'>;

export interface StandardsPageData {
	standards: StandardDto[];
	boards: { id: string; name: string; teamName: string }[];
	query: string;
	today: string;
}

/** The library, optionally one team's; `?q=` searches. Callers check team access themselves. */
export async function loadStandardsPage(
	event: PageEvent,
	teamId?: string
): Promise<StandardsPageData> {
	const { user } = requireUser(event);
	const db = event.locals.runtime.database.db;
	const query = (event.url.searchParams.get('q') ?? '').trim().slice(0, STANDARD_SEARCH_MAX_LENGTH);
	const today = serverToday();
	const [standards, boards] = await Promise.all([
		listStandards(db, user, { search: query, today, ...(teamId ? { teamId } : {}) }),
		listAdoptionBoards(db, user)
	]);
	return { standards, boards, query, today };
}

const AdoptForm = v.object({
	sourceBoardId: idField,
	sourceCardId: idField,
	targetBoardId: idField
});

/** "Adopt in my team": a new proposal on one of the person's boards, linked back. */
export async function adoptFromForm(event: RequestEvent) {
	const { user } = requireUser(event);
	const db = event.locals.runtime.database.db;
	const formData = await event.request.formData();
	const values = keepValues(formData, ['sourceCardId']);
	const parsed = parseForm(AdoptForm, formData);
	if (!parsed.ok) {
		return failForm(400, { action: 'adopt', message: m.standards_error_no_board(), values });
	}
	const result = await adoptStandard(db, user, parsed.data);
	if (!result.ok) {
		const message =
			result.reason === 'no_standard'
				? m.standards_error_no_standard()
				: result.reason === 'same_board'
					? m.standards_error_same_board()
					: m.standards_error_no_board();
		return failForm(result.reason === 'no_standard' ? 404 : 400, {
			action: 'adopt',
			message,
			values
		});
	}
	const board = await getBoardAccess(db, user, result.boardId);
	event.locals.runtime.log.info(
		{
			from: parsed.data.sourceCardId,
			boardId: result.boardId,
			cardId: result.cardId,
			userId: user.id
		},
		'standard adopted'
	);
	return {
		action: 'adopt' as const,
		adopted: {
			title: result.title,
			boardName: board?.boardName ?? '',
			href: boardCardHref(result.boardId, result.cardId)
		}
	};
}
