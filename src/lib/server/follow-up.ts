/**
 * Leaders follow up (DESIGN.md §2.5): every active card and every standard has a next follow-up
 * date, and what is overdue is visible to the team, its manager and the people concerned. All of
 * it is read from the card projection (no documents are opened).
 *
 * Definitions (shown next to the lists):
 * - overdue: a card still in the flow (Proposed to Act) whose follow-up date is before today, by
 *   the server's date;
 * - no follow-up set: a started card (Plan to Act, i.e. work in progress) without a date;
 * - a standard is due for review when its review date is before today, or when it has none;
 * - waiting for your input: you are named as affected, have not answered in the card's current
 *   cycle, and the card is in Check or Act (where the decision is prepared).
 */
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { FLOW_STAGES, type Stage } from '../board/stages';
import { cardHref } from '../links';
import type {
	FollowUpCardDto,
	PersonalFollowUpDto,
	StandardDto,
	SupportRequestDto,
	TeamFollowUpDto
} from '../types';
import type { Actor } from './access';
import type { Database } from './db/schema';

/** The most rows one list shows; a team with more has a bigger problem than a long list. */
export const FOLLOW_UP_LIST_LIMIT = 200;
/** Still in the flow: not yet a standard, parked or declined. */
export const OPEN_STAGES: readonly Stage[] = FLOW_STAGES.filter((s) => s !== 'standard');
/** Started and not finished (work in progress). */
export const ACTIVE_STAGES: readonly Stage[] = ['plan', 'do', 'check', 'act'];
/** Where the people affected are asked for input before the decision. */
export const INPUT_STAGES: readonly Stage[] = ['check', 'act'];

/** Today's date on the server's clock, as 'YYYY-MM-DD' (the server's own time zone). */
export function serverToday(now = new Date()): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Cards (live ones) with their board and team, and whether `viewerId` is on that team. */
function cardRows(db: Kysely<Database>, viewer: Actor) {
	return db
		.selectFrom('cards')
		.innerJoin('boards', 'boards.id', 'cards.board_id')
		.innerJoin('teams', 'teams.id', 'boards.team_id')
		.leftJoin('team_members as viewer_membership', (join) =>
			join
				.onRef('viewer_membership.team_id', '=', 'teams.id')
				.on('viewer_membership.user_id', '=', viewer.id)
		)
		.select([
			'boards.id as board_id',
			'boards.name as board_name',
			'teams.id as team_id',
			'teams.name as team_name',
			'cards.id as card_id',
			'cards.title',
			'cards.stage',
			'cards.beneficiary',
			'cards.owner_name',
			'cards.support_what',
			'cards.support_from',
			'cards.standard_owner_name',
			sql<string | null>`cards.follow_up::text`.as('follow_up'),
			sql<string | null>`cards.standard_effective_date::text`.as('effective_date'),
			sql<string | null>`cards.standard_review_date::text`.as('review_date'),
			sql<boolean>`viewer_membership.user_id is not null`.as('viewer_on_team')
		])
		.where('cards.deleted_at', 'is', null)
		.where('teams.organisation_id', '=', viewer.organisationId);
}

type CardRow = Awaited<ReturnType<ReturnType<typeof cardRows>['execute']>>[number];

function toCard(row: CardRow, viewer: Actor): FollowUpCardDto {
	return {
		boardId: row.board_id,
		boardName: row.board_name,
		teamName: row.team_name,
		cardId: row.card_id,
		title: row.title,
		stage: row.stage,
		beneficiary: row.beneficiary,
		ownerName: row.owner_name,
		followUp: row.follow_up,
		href: cardHref(row.board_id, row.card_id, row.viewer_on_team || viewer.isOrgAdmin)
	};
}

function toSupport(row: CardRow, viewer: Actor): SupportRequestDto {
	return { ...toCard(row, viewer), what: row.support_what ?? '', fromWhom: row.support_from };
}

export function toStandard(row: CardRow, viewer: Actor, today: string): StandardDto {
	return {
		boardId: row.board_id,
		cardId: row.card_id,
		title: row.title,
		beneficiary: row.beneficiary,
		teamId: row.team_id,
		teamName: row.team_name,
		ownerName: row.standard_owner_name ?? row.owner_name,
		effectiveDate: row.effective_date,
		reviewDate: row.review_date,
		reviewOverdue: row.review_date === null || row.review_date < today,
		href: cardHref(row.board_id, row.card_id, row.viewer_on_team || viewer.isOrgAdmin)
	};
}

/** The follow-up list of one team (its manager's list). Callers check the viewer's team access. */
export async function listTeamFollowUp(
	db: Kysely<Database>,
	viewer: Actor,
	teamId: string,
	today: string
): Promise<TeamFollowUpDto> {
	const team = () => cardRows(db, viewer).where('teams.id', '=', teamId);
	const [overdue, noFollowUp, support, standards] = await Promise.all([
		team()
			.where('cards.stage', 'in', OPEN_STAGES)
			.where('cards.follow_up', '<', today)
			.orderBy('cards.follow_up')
			.orderBy('cards.title')
			.limit(FOLLOW_UP_LIST_LIMIT)
			.execute(),
		team()
			.where('cards.stage', 'in', ACTIVE_STAGES)
			.where('cards.follow_up', 'is', null)
			.orderBy('cards.stage_entered_at')
			.orderBy('cards.title')
			.limit(FOLLOW_UP_LIST_LIMIT)
			.execute(),
		team()
			.where('cards.support_open', '=', true)
			.where('cards.support_what', 'is not', null)
			.orderBy('cards.updated_at')
			.limit(FOLLOW_UP_LIST_LIMIT)
			.execute(),
		team()
			.where('cards.stage', '=', 'standard')
			.where((eb) =>
				eb.or([
					eb('cards.standard_review_date', 'is', null),
					eb('cards.standard_review_date', '<', today)
				])
			)
			.orderBy(sql`cards.standard_review_date nulls first`)
			.orderBy('cards.title')
			.limit(FOLLOW_UP_LIST_LIMIT)
			.execute()
	]);
	return {
		overdue: overdue.map((row) => toCard(row, viewer)),
		noFollowUp: noFollowUp.map((row) => toCard(row, viewer)),
		support: support.map((row) => toSupport(row, viewer)),
		standardsToReview: standards.map((row) => toStandard(row, viewer, today))
	};
}

/** Boards the viewer sees as a team member (an organisation admin sees every team's). */
function onViewersTeam(viewer: Actor): Expression<SqlBool> {
	return viewer.isOrgAdmin
		? sql<SqlBool>`true`
		: sql<SqlBool>`viewer_membership.user_id is not null`;
}

/** One person's follow-up ("Me"): their overdue cards, input asked of them, their support requests. */
export async function listPersonalFollowUp(
	db: Kysely<Database>,
	viewer: Actor,
	today: string
): Promise<PersonalFollowUpDto> {
	const [overdue, waiting, support] = await Promise.all([
		cardRows(db, viewer)
			.where(onViewersTeam(viewer))
			.where((eb) =>
				eb.or([eb('cards.owner_id', '=', viewer.id), eb('cards.proposer_id', '=', viewer.id)])
			)
			.where('cards.stage', 'in', OPEN_STAGES)
			.where('cards.follow_up', '<', today)
			.orderBy('cards.follow_up')
			.orderBy('cards.title')
			.limit(FOLLOW_UP_LIST_LIMIT)
			.execute(),
		// Being named as affected is what lets someone read the card (access.ts), on any team.
		cardRows(db, viewer)
			.where((eb) => eb(eb.val(viewer.id), '=', eb.fn.any('cards.pending_input_user_ids')))
			.where('cards.stage', 'in', INPUT_STAGES)
			.orderBy('cards.stage_entered_at')
			.orderBy('cards.title')
			.limit(FOLLOW_UP_LIST_LIMIT)
			.execute(),
		cardRows(db, viewer)
			.where('cards.support_raised_by', '=', viewer.id)
			.where('cards.support_open', '=', true)
			.where('cards.support_what', 'is not', null)
			.orderBy('cards.updated_at')
			.limit(FOLLOW_UP_LIST_LIMIT)
			.execute()
	]);
	return {
		overdue: overdue.map((row) => toCard(row, viewer)),
		waitingForInput: waiting.map((row) => toCard(row, viewer)),
		support: support.map((row) => toSupport(row, viewer))
	};
}

export { cardRows as followUpCardRows };
