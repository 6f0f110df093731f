/**
 * SvelteKit's side of access control: turns access.ts's decisions into redirects and HTTP errors.
 * Every load and every action calls one of these itself (a layout's check does not cover a
 * page's actions, and loads run in parallel).
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { Role } from '$lib/roles';
import { decideTeamPermission, type TeamAccess } from './access';
import { isWellFormedId } from './id';
import type { SessionUser, ValidSession } from './session';

type GuardEvent = Pick<RequestEvent, 'locals' | 'url'>;

/** A same-site path to return to after signing in; anything else becomes "/". */
export function safeRedirectTarget(value: unknown): string {
	if (typeof value !== 'string' || value.length > 2000) return '/';
	// "//host" and "/\host" would leave the site; only plain absolute paths are allowed.
	if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
	return value;
}

export function signInUrl(url: URL): string {
	const back = url.pathname + url.search;
	return back === '/' ? '/signin' : `/signin?redirectTo=${encodeURIComponent(back)}`;
}

/** The signed-in person, or a redirect to the sign-in page that brings them back here. */
export function requireUser(event: GuardEvent): { user: SessionUser; session: ValidSession } {
	const { user, session } = event.locals;
	if (!user || !session) redirect(303, signInUrl(event.url));
	return { user, session };
}

export function requireOrgAdmin(event: GuardEvent): SessionUser {
	const { user } = requireUser(event);
	if (!user.isOrgAdmin) error(403, m.error_forbidden());
	return user;
}

/** The person's access to a team, if `allowed(role)`; otherwise 404 (not theirs) or 403. */
export async function requireTeamPermission(
	event: GuardEvent,
	teamId: string,
	allowed: (role: Role) => boolean = () => true
): Promise<{ user: SessionUser; access: TeamAccess }> {
	const { user } = requireUser(event);
	if (!isWellFormedId(teamId)) error(404, m.error_not_found());
	const decision = await decideTeamPermission(
		event.locals.runtime.database.db,
		user,
		teamId,
		allowed
	);
	if (!decision.ok) {
		error(decision.status, decision.status === 404 ? m.error_not_found() : m.error_forbidden());
	}
	return { user, access: decision.access };
}
