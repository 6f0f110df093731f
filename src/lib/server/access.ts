/**
 * The one place that decides who may see what. People see only their own organisation's teams
 * they belong to (an organisation admin sees all of its teams, as admin). Callers turn `null`
 * into 404, so a board in another team cannot even be shown to exist.
 */
import type { Kysely } from 'kysely';
import { isRole, type Role } from '../roles';
import type { Database } from './db/schema';

export interface Actor {
	id: string;
	organisationId: string;
	isOrgAdmin: boolean;
}

export interface TeamAccess {
	teamId: string;
	teamName: string;
	role: Role;
}

export interface BoardAccess extends TeamAccess {
	boardId: string;
	boardName: string;
}

export async function getTeamAccess(
	db: Kysely<Database>,
	actor: Actor,
	teamId: string
): Promise<TeamAccess | null> {
	const row = await db
		.selectFrom('teams')
		.leftJoin('team_members', (join) =>
			join.onRef('team_members.team_id', '=', 'teams.id').on('team_members.user_id', '=', actor.id)
		)
		.select(['teams.id', 'teams.name', 'team_members.role'])
		.where('teams.id', '=', teamId)
		.where('teams.organisation_id', '=', actor.organisationId)
		.executeTakeFirst();
	if (!row) return null;
	const role: Role | null = actor.isOrgAdmin ? 'admin' : isRole(row.role) ? row.role : null;
	if (!role) return null;
	return { teamId: row.id, teamName: row.name, role };
}

export async function getBoardAccess(
	db: Kysely<Database>,
	actor: Actor,
	boardId: string
): Promise<BoardAccess | null> {
	const row = await db
		.selectFrom('boards')
		.innerJoin('teams', 'teams.id', 'boards.team_id')
		.leftJoin('team_members', (join) =>
			join.onRef('team_members.team_id', '=', 'teams.id').on('team_members.user_id', '=', actor.id)
		)
		.select([
			'boards.id as board_id',
			'boards.name as board_name',
			'teams.id as team_id',
			'teams.name as team_name',
			'team_members.role'
		])
		.where('boards.id', '=', boardId)
		.where('teams.organisation_id', '=', actor.organisationId)
		.executeTakeFirst();
	if (!row) return null;
	const role: Role | null = actor.isOrgAdmin ? 'admin' : isRole(row.role) ? row.role : null;
	if (!role) return null;
	return {
		boardId: row.board_id,
		boardName: row.board_name,
		teamId: row.team_id,
		teamName: row.team_name,
		role
	};
}

/** The teams an actor belongs to (all of the organisation's for an org admin), by name. */
export async function listTeamsFor(db: Kysely<Database>, actor: Actor): Promise<TeamAccess[]> {
	if (actor.isOrgAdmin) {
		const rows = await db
			.selectFrom('teams')
			.select(['id', 'name'])
			.where('organisation_id', '=', actor.organisationId)
			.orderBy('name')
			.execute();
		return rows.map((r) => ({ teamId: r.id, teamName: r.name, role: 'admin' as const }));
	}
	const rows = await db
		.selectFrom('team_members')
		.innerJoin('teams', 'teams.id', 'team_members.team_id')
		.select(['teams.id', 'teams.name', 'team_members.role'])
		.where('team_members.user_id', '=', actor.id)
		.where('teams.organisation_id', '=', actor.organisationId)
		.orderBy('teams.name')
		.execute();
	return rows.flatMap((r) =>
		isRole(r.role) ? [{ teamId: r.id, teamName: r.name, role: r.role }] : []
	);
}

export type PermissionDecision<T> = { ok: true; access: T } | { ok: false; status: 403 | 404 };

/**
 * May `actor` act in this team with at least the rights `allowed` checks? 404 when the team is
 * not theirs to see (so its existence is not revealed); 403 when they are in it but lack the role.
 */
export async function decideTeamPermission(
	db: Kysely<Database>,
	actor: Actor,
	teamId: string,
	allowed: (role: Role) => boolean
): Promise<PermissionDecision<TeamAccess>> {
	const access = await getTeamAccess(db, actor, teamId);
	if (!access) return { ok: false, status: 404 };
	if (!allowed(access.role)) return { ok: false, status: 403 };
	return { ok: true, access };
}

/**
 * How a person outside a board's team may see one of its cards (DESIGN.md §2.8): as a guest the
 * team added (`card_guests`), as someone the card names as affected (they are asked for input,
 * so they must be able to read it), or — read-only — because the card is a standard, and
 * standards are visible across the organisation. Team members use the board itself
 * (getBoardAccess); this never grants the board or its websocket. Null: not theirs to see (404).
 */
export interface CardGuestAccess {
	boardId: string;
	boardName: string;
	cardId: string;
	teamId: string;
	teamName: string;
	via: 'guest' | 'affected' | 'standard';
	/** Guests and affected people may give input; standard readers only read. */
	canGiveInput: boolean;
}

export async function getCardGuestAccess(
	db: Kysely<Database>,
	actor: Actor,
	boardId: string,
	cardId: string
): Promise<CardGuestAccess | null> {
	const row = await db
		.selectFrom('cards')
		.innerJoin('boards', 'boards.id', 'cards.board_id')
		.innerJoin('teams', 'teams.id', 'boards.team_id')
		.leftJoin('card_guests', (join) =>
			join
				.onRef('card_guests.board_id', '=', 'cards.board_id')
				.onRef('card_guests.card_id', '=', 'cards.id')
				.on('card_guests.user_id', '=', actor.id)
		)
		.select((eb) => [
			'boards.name as board_name',
			'teams.id as team_id',
			'teams.name as team_name',
			'cards.stage',
			'card_guests.user_id as guest_id',
			eb(eb.val(actor.id), '=', eb.fn.any('cards.affected_user_ids')).as('is_affected')
		])
		.where('cards.board_id', '=', boardId)
		.where('cards.id', '=', cardId)
		.where('cards.deleted_at', 'is', null)
		.where('teams.organisation_id', '=', actor.organisationId)
		.executeTakeFirst();
	if (!row) return null;
	const via = row.guest_id
		? 'guest'
		: row.is_affected
			? 'affected'
			: row.stage === 'standard'
				? 'standard'
				: null;
	if (!via) return null;
	return {
		boardId,
		boardName: row.board_name,
		cardId,
		teamId: row.team_id,
		teamName: row.team_name,
		via,
		canGiveInput: via !== 'standard'
	};
}
