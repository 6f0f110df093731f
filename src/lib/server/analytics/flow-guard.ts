/**
 * SvelteKit's side of flow-scope.ts: the signed-in person's scope for a report or export route,
 * or the 404/403 the decision says (and a sign-in redirect without a session).
 */
import { error, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireUser } from '../guards';
import { isWellFormedId } from '../id';
import {
	resolveBoardScope,
	resolveOrganisationScope,
	resolveTeamScope,
	type FlowScope,
	type FlowScopeResult
} from './flow-scope';

type FlowEvent = Pick<RequestEvent, 'locals' | 'url'>;

export type FlowTarget =
	{ kind: 'board'; boardId: string } | { kind: 'team'; teamId: string } | { kind: 'organisation' };

export async function requireFlowScope(event: FlowEvent, target: FlowTarget): Promise<FlowScope> {
	const { user } = requireUser(event);
	const db = event.locals.runtime.database.db;
	let decision: FlowScopeResult;
	if (target.kind === 'board') {
		if (!isWellFormedId(target.boardId)) error(404, m.error_not_found());
		decision = await resolveBoardScope(db, user, target.boardId);
	} else if (target.kind === 'team') {
		if (!isWellFormedId(target.teamId)) error(404, m.error_not_found());
		decision = await resolveTeamScope(db, user, target.teamId);
	} else {
		decision = await resolveOrganisationScope(db, user);
	}
	if (!decision.ok) {
		error(decision.status, decision.status === 404 ? m.error_not_found() : m.error_forbidden());
	}
	return decision.scope;
}
