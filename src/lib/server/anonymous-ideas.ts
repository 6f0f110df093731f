/**
 * Ideas sent without the proposer's name, where a board allows it (its managers choose). Such an
 * idea cannot go through the person's own replica of the board — that would write their id into
 * the card — so the server creates it, attributed to nobody, credited as "a colleague". It is
 * still limited per account (in memory, like sign-in throttling), and the client's card id makes a
 * retried send one card. It needs a connection: there is no anonymous offline copy.
 */
import type { Kysely } from 'kysely';
import { createIdea, type IdeaOutcome } from '../board/idea';
import { editBoardDocument } from './board-edit';
import type { Database } from './db/schema';
import { WindowThrottle } from './rate-limit';

export const ANONYMOUS_PROPOSER_ID = 'anonymous';
const PER_HOUR = 10;
const throttle = new WindowThrottle({ limit: PER_HOUR, windowMs: 60 * 60_000, maxKeys: 10_000 });

export async function boardAllowsAnonymousIdeas(
	db: Kysely<Database>,
	boardId: string
): Promise<boolean> {
	const row = await db
		.selectFrom('boards')
		.select('allow_anonymous_ideas')
		.where('id', '=', boardId)
		.executeTakeFirst();
	return row?.allow_anonymous_ideas === true;
}

export async function setAnonymousIdeas(
	db: Kysely<Database>,
	boardId: string,
	allowed: boolean
): Promise<void> {
	await db
		.updateTable('boards')
		.set({ allow_anonymous_ideas: allowed })
		.where('id', '=', boardId)
		.execute();
}

export type AnonymousIdeaResult =
	| { ok: true; outcome: IdeaOutcome }
	| { ok: false; reason: 'not_allowed' | 'too_many' | 'no_board' };

export async function proposeAnonymously(
	db: Kysely<Database>,
	input: {
		boardId: string;
		userId: string;
		cardId: string;
		problem: string;
		beneficiary: string;
		idea: string;
		/** "a colleague", in the proposer's language. */
		creditedAs: string;
	},
	now = Date.now()
): Promise<AnonymousIdeaResult> {
	if (!(await boardAllowsAnonymousIdeas(db, input.boardId)))
		return { ok: false, reason: 'not_allowed' };
	if (!throttle.check(input.userId, now).allowed) return { ok: false, reason: 'too_many' };
	const edited = await editBoardDocument(db, input.boardId, { userId: null }, (doc) =>
		createIdea(doc, {
			cardId: input.cardId,
			problem: input.problem,
			beneficiary: input.beneficiary,
			idea: input.idea,
			proposer: { id: ANONYMOUS_PROPOSER_ID, name: input.creditedAs },
			now
		})
	);
	if (!edited.ok) return { ok: false, reason: 'no_board' };
	// Only a new card counts against the limit: a retry of the same idea is free.
	if (edited.value === 'created') throttle.recordFailure(input.userId, now);
	return { ok: true, outcome: edited.value };
}
