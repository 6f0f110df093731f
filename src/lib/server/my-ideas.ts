/**
 * The proposer's ideas and what became of each (DESIGN.md §2.2: the proposer is credited all the
 * way to the standard), from the card projection, on the boards the person may still see.
 */
import type { Kysely } from 'kysely';
import type { Database } from './db/schema';
import { boardCardHref } from '../links';
import { listTeamsFor, type Actor } from './access';

export interface MyIdeaDto {
	boardId: string;
	boardName: string;
	cardId: string;
	title: string;
	stage: string;
	endReason: string;
	createdAt: string;
	stageEnteredAt: string;
	href: string;
}

export async function listMyIdeas(
	db: Kysely<Database>,
	actor: Actor,
	limit = 200
): Promise<MyIdeaDto[]> {
	const teams = await listTeamsFor(db, actor);
	if (teams.length === 0) return [];
	const rows = await db
		.selectFrom('cards')
		.innerJoin('boards', 'boards.id', 'cards.board_id')
		.select([
			'cards.board_id',
			'boards.name as board_name',
			'cards.id',
			'cards.title',
			'cards.stage',
			'cards.end_reason',
			'cards.created_at',
			'cards.stage_entered_at'
		])
		.where('cards.proposer_id', '=', actor.id)
		.where('cards.deleted_at', 'is', null)
		.where(
			'boards.team_id',
			'in',
			teams.map((t) => t.teamId)
		)
		.orderBy('cards.created_at', 'desc')
		.limit(limit)
		.execute();
	return rows.map((r) => ({
		boardId: r.board_id,
		boardName: r.board_name,
		cardId: r.id,
		title: r.title,
		stage: r.stage,
		endReason: r.end_reason,
		createdAt: r.created_at.toISOString(),
		stageEnteredAt: r.stage_entered_at.toISOString(),
		href: boardCardHref(r.board_id, r.id)
	}));
}
