/**
 * The standards library (DESIGN.md §2.8): every team's standards are visible across the
 * organisation, searchable, and another team can adopt one — a new proposal on one of its own
 * boards, credited to the person adopting it and linked back to the original.
 */
import type { Kysely } from 'kysely';
import { createCard, TITLE_MAX_LENGTH } from '../board/document';
import { cardDetailText, initCardDetail, LONG_TEXT_MAX, setAdoptedFrom } from '../board/pdca';
import { canEditBoard, ROLES } from '../roles';
import type { StandardDto } from '../types';
import { getBoardAccess, type Actor } from './access';
import { editBoardDocument } from './board-edit';
import type { Database } from './db/schema';
import { FOLLOW_UP_LIST_LIMIT, followUpCardRows, toStandard } from './follow-up';

export const STANDARD_SEARCH_MAX_LENGTH = 100;

/** A LIKE pattern that matches `text` literally anywhere (%, _ and \ lose their meaning). */
export function containsPattern(text: string): string {
	return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The organisation's standards (or one team's), matching `search` in title, beneficiary or text. */
export async function listStandards(
	db: Kysely<Database>,
	viewer: Actor,
	options: { teamId?: string; search?: string; today: string }
): Promise<StandardDto[]> {
	let query = followUpCardRows(db, viewer).where('cards.stage', '=', 'standard');
	if (options.teamId) query = query.where('teams.id', '=', options.teamId);
	const search = options.search?.trim().slice(0, STANDARD_SEARCH_MAX_LENGTH);
	if (search) {
		const pattern = containsPattern(search);
		query = query.where((eb) =>
			eb.or([
				eb('cards.title', 'ilike', pattern),
				eb('cards.beneficiary', 'ilike', pattern),
				eb('cards.standard_text', 'ilike', pattern)
			])
		);
	}
	const rows = await query
		.orderBy('teams.name')
		.orderBy('cards.title')
		.limit(FOLLOW_UP_LIST_LIMIT)
		.execute();
	return rows.map((row) => toStandard(row, viewer, options.today));
}

export type AdoptResult =
	| { ok: true; boardId: string; cardId: string; title: string }
	| { ok: false; reason: 'no_standard' | 'no_board' | 'same_board' };

/**
 * Adopts a standard onto one of the actor's boards (member or more): a new card in Proposed with
 * the title and beneficiary copied, the standard's text as the problem to start from, the actor
 * as proposer, and a link back. Written through the live board (editBoardDocument).
 */
export async function adoptStandard(
	db: Kysely<Database>,
	actor: Actor & { name: string },
	input: { sourceBoardId: string; sourceCardId: string; targetBoardId: string }
): Promise<AdoptResult> {
	const source = await db
		.selectFrom('cards')
		.innerJoin('boards', 'boards.id', 'cards.board_id')
		.innerJoin('teams', 'teams.id', 'boards.team_id')
		.select(['cards.title', 'cards.beneficiary', 'cards.standard_text', 'teams.name as team_name'])
		.where('cards.board_id', '=', input.sourceBoardId)
		.where('cards.id', '=', input.sourceCardId)
		.where('cards.stage', '=', 'standard')
		.where('cards.deleted_at', 'is', null)
		.where('teams.organisation_id', '=', actor.organisationId)
		.executeTakeFirst();
	if (!source) return { ok: false, reason: 'no_standard' };
	const target = await getBoardAccess(db, actor, input.targetBoardId);
	if (!target || !canEditBoard(target.role)) return { ok: false, reason: 'no_board' };
	if (target.boardId === input.sourceBoardId) return { ok: false, reason: 'same_board' };
	const proposer = { id: actor.id, name: actor.name };
	const edit = await editBoardDocument(db, target.boardId, { userId: actor.id }, (doc) => {
		const cardId = createCard(doc, {
			title: source.title.slice(0, TITLE_MAX_LENGTH),
			beneficiary: source.beneficiary,
			stage: 'proposed',
			userId: actor.id
		});
		initCardDetail(doc, cardId, proposer);
		cardDetailText(doc, cardId, 'problem')?.insert(0, source.standard_text.slice(0, LONG_TEXT_MAX));
		setAdoptedFrom(doc, cardId, {
			boardId: input.sourceBoardId,
			cardId: input.sourceCardId,
			teamName: source.team_name,
			title: source.title
		});
		return cardId;
	});
	if (!edit.ok) return { ok: false, reason: 'no_board' };
	return { ok: true, boardId: target.boardId, cardId: edit.value, title: source.title };
}

/** The boards where `actor` may add a card (member or more), for "Adopt in my team". */
export async function listAdoptionBoards(
	db: Kysely<Database>,
	actor: Actor
): Promise<{ id: string; name: string; teamName: string }[]> {
	let query = db
		.selectFrom('boards')
		.innerJoin('teams', 'teams.id', 'boards.team_id')
		.select(['boards.id', 'boards.name', 'teams.name as team_name'])
		.where('teams.organisation_id', '=', actor.organisationId);
	if (!actor.isOrgAdmin) {
		query = query.where('teams.id', 'in', (eb) =>
			eb
				.selectFrom('team_members')
				.select('team_members.team_id')
				.where('team_members.user_id', '=', actor.id)
				.where('team_members.role', 'in', ROLES.filter(canEditBoard))
		);
	}
	const rows = await query.orderBy('teams.name').orderBy('boards.name').execute();
	return rows.map((row) => ({ id: row.id, name: row.name, teamName: row.team_name }));
}
