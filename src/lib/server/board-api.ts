/**
 * The card-detail JSON API's guards (SvelteKit glue): session, board access through access.ts,
 * the role, and the card's existence. 401 without a session, 404 for a board or card the caller
 * cannot see (its existence is not revealed), 403 for a role that may not do it.
 */
import { error, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { Role } from '$lib/roles';
import { getBoardAccess, type BoardAccess } from './access';
import { cardExists } from './card-guests';
import { isWellFormedId } from './id';
import type { SessionUser } from './session';

type ApiEvent = Pick<RequestEvent, 'locals'>;

export async function requireBoardApi(
	event: ApiEvent,
	boardId: string,
	allowed: (role: Role) => boolean = () => true
): Promise<{ user: SessionUser; access: BoardAccess }> {
	const { user } = event.locals;
	if (!user) error(401, m.pdca_api_signin());
	if (!isWellFormedId(boardId)) error(404, m.error_not_found());
	const access = await getBoardAccess(event.locals.runtime.database.db, user, boardId);
	if (!access) error(404, m.error_not_found());
	if (!allowed(access.role)) error(403, m.error_forbidden());
	return { user, access };
}

export async function requireCardApi(
	event: ApiEvent,
	boardId: string,
	cardId: string,
	allowed: (role: Role) => boolean = () => true
): Promise<{ user: SessionUser; access: BoardAccess }> {
	const found = await requireBoardApi(event, boardId, allowed);
	if (
		!isWellFormedId(cardId) ||
		!(await cardExists(event.locals.runtime.database.db, boardId, cardId))
	) {
		error(404, m.error_not_found());
	}
	return found;
}
