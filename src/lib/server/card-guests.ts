/**
 * People from other teams involved in one card (DESIGN.md §2.8): a member of the board's team adds
 * them; they may then read that card and give input on it (access.ts getCardGuestAccess), never
 * the rest of the board. Callers check that the actor may edit the board.
 */
import type { Kysely } from 'kysely';
import type { Database } from './db/schema';
import { findOrganisationPerson } from './board-people';

export type AddGuestResult =
	{ ok: true; added: boolean } | { ok: false; reason: 'no_card' | 'no_person' | 'team_member' };

/** Is there such a live card on this board (per the projection)? */
export async function cardExists(
	db: Kysely<Database>,
	boardId: string,
	cardId: string
): Promise<boolean> {
	const row = await db
		.selectFrom('cards')
		.select('id')
		.where('board_id', '=', boardId)
		.where('id', '=', cardId)
		.where('deleted_at', 'is', null)
		.executeTakeFirst();
	return row !== undefined;
}

/** Adds a guest; adding one twice changes nothing (`added: false`). */
export async function addCardGuest(
	db: Kysely<Database>,
	input: {
		board: { id: string; teamId: string; organisationId: string };
		cardId: string;
		userId: string;
		addedBy: string;
	}
): Promise<AddGuestResult> {
	const { board } = input;
	if (!(await cardExists(db, board.id, input.cardId))) return { ok: false, reason: 'no_card' };
	const person = await findOrganisationPerson(db, board.organisationId, board.teamId, input.userId);
	if (!person) return { ok: false, reason: 'no_person' };
	// The team sees the whole board already; a guest entry would mean nothing.
	if (person.isTeamMember) return { ok: false, reason: 'team_member' };
	const result = await db
		.insertInto('card_guests')
		.values({
			board_id: board.id,
			card_id: input.cardId,
			user_id: person.id,
			added_by: input.addedBy
		})
		.onConflict((conflict) => conflict.columns(['board_id', 'card_id', 'user_id']).doNothing())
		.executeTakeFirst();
	return { ok: true, added: (result.numInsertedOrUpdatedRows ?? 0n) > 0n };
}

export async function removeCardGuest(
	db: Kysely<Database>,
	input: { boardId: string; cardId: string; userId: string }
): Promise<{ removed: boolean }> {
	const result = await db
		.deleteFrom('card_guests')
		.where('board_id', '=', input.boardId)
		.where('card_id', '=', input.cardId)
		.where('user_id', '=', input.userId)
		.executeTakeFirst();
	return { removed: result.numDeletedRows > 0n };
}

export async function listCardGuests(
	db: Kysely<Database>,
	boardId: string,
	cardId: string
): Promise<{ id: string; name: string }[]> {
	return db
		.selectFrom('card_guests')
		.innerJoin('users', 'users.id', 'card_guests.user_id')
		.select(['users.id', 'users.name'])
		.where('card_guests.board_id', '=', boardId)
		.where('card_guests.card_id', '=', cardId)
		.orderBy('users.name')
		.execute();
}
