/**
 * Keeps the flow summaries (card_flow, flow_daily_arrivals) current for the boards a report or an
 * export is about to read. A commit only marks the cards whose events it wrote as stale (the
 * trigger on card_events, migration 20261202T0100): folding a card's whole event history inside
 * every sync commit tripled the cost of the "saved" acknowledgement. Readers pay instead, and
 * only for the cards moved since the last report of those boards.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';

/** Folds the stale cards of `boardIds` into their summaries; returns how many were folded. */
export async function refreshFlowSummaries(
	db: Kysely<Database> | Transaction<Database>,
	boardIds: readonly string[]
): Promise<number> {
	if (boardIds.length === 0) return 0;
	const result = await sql<{ folded: number }>`
		select card_flow_refresh_stale(${[...boardIds]}::text[]) as folded`.execute(db);
	return result.rows[0]?.folded ?? 0;
}
