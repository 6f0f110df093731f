/**
 * A card's stage history as the card detail shows it: every recorded stage event, oldest first,
 * with the mover's name, the cycle and a manager's override reason. Callers check access first.
 */
import type { Kysely } from 'kysely';
import type { CardEventDto } from '../types';
import type { Database } from './db/schema';

export async function listCardEvents(
	db: Kysely<Database>,
	boardId: string,
	cardId: string
): Promise<CardEventDto[]> {
	const rows = await db
		.selectFrom('card_events')
		.leftJoin('users', 'users.id', 'card_events.by_user_id')
		.select([
			'card_events.from_stage',
			'card_events.to_stage',
			'card_events.at',
			'card_events.cycle',
			'card_events.override_reason',
			'users.name as by_name'
		])
		.where('card_events.board_id', '=', boardId)
		.where('card_events.card_id', '=', cardId)
		.orderBy('card_events.at')
		.orderBy('card_events.id')
		.execute();
	return rows.map((row) => ({
		fromStage: row.from_stage,
		toStage: row.to_stage,
		at: row.at.toISOString(),
		byName: row.by_name,
		cycle: row.cycle,
		overrideReason: row.override_reason
	}));
}
