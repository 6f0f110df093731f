/**
 * A card's history as the panel lists it: the recorded stage events (from the server, which
 * stamps them with its own clock) and the card's comments, in one timeline, oldest first. The
 * history is there for learning, not for blame (DESIGN.md §2.7): it says what happened, by whom
 * and in which cycle.
 */
import type { Comment } from '$lib/board/pdca';
import { isStage, type Stage } from '$lib/board/stages';
import type { CardEventDto } from '$lib/types';

export type HistoryItem =
	| {
			kind: 'move';
			key: string;
			at: number;
			from: Stage | null;
			to: Stage;
			byName: string | null;
			cycle: number;
			overrideReason: string | null;
	  }
	| { kind: 'comment'; key: string; at: number; comment: Comment };

/** Events the server sent, narrowed (a stage we do not know is left out), merged with comments. */
export function historyItems(
	events: readonly CardEventDto[],
	comments: readonly Comment[]
): HistoryItem[] {
	const items: HistoryItem[] = [];
	events.forEach((event, index) => {
		const at = Date.parse(event.at);
		if (!isStage(event.toStage) || Number.isNaN(at)) return;
		items.push({
			kind: 'move',
			key: `event-${index}`,
			at,
			from: isStage(event.fromStage) ? event.fromStage : null,
			to: event.toStage,
			byName: event.byName,
			cycle: event.cycle,
			overrideReason: event.overrideReason?.trim() || null
		});
	});
	for (const comment of comments) {
		items.push({ kind: 'comment', key: `comment-${comment.id}`, at: comment.at, comment });
	}
	// Stable: events keep the server's order among themselves when two share a timestamp.
	return items
		.map((item, order) => ({ item, order }))
		.sort((a, b) => a.item.at - b.item.at || a.order - b.order)
		.map(({ item }) => item);
}

/** Narrows the events endpoint's JSON; anything malformed is dropped, not trusted. */
export function parseEventsResponse(body: unknown): CardEventDto[] {
	if (typeof body !== 'object' || body === null || !('events' in body)) return [];
	const events = (body as { events: unknown }).events;
	if (!Array.isArray(events)) return [];
	return events.flatMap((value): CardEventDto[] => {
		if (typeof value !== 'object' || value === null) return [];
		const e = value as Record<string, unknown>;
		if (typeof e.toStage !== 'string' || typeof e.at !== 'string' || typeof e.cycle !== 'number')
			return [];
		return [
			{
				fromStage: typeof e.fromStage === 'string' ? e.fromStage : null,
				toStage: e.toStage,
				at: e.at,
				byName: typeof e.byName === 'string' ? e.byName : null,
				cycle: e.cycle,
				overrideReason: typeof e.overrideReason === 'string' ? e.overrideReason : null
			}
		];
	});
}
