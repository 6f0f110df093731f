/**
 * A card's flow summary from its stage events, as a pure fold. The migration's SQL function
 * `card_flow_of` computes the same row inside the database (the trigger keeps it current); this
 * fold is what the unit specs check the definitions on, and the integration test compares the two.
 *
 * Definitions (DESIGN.md §3): events are taken in (at, id) order — `at` is the server's stamp or,
 * for a move made offline, the client's bounded time, so an offline move counts when it happened.
 * "Reached" a flow stage = first arrival in it OR ANY LATER flow stage: a skipped stage counts as
 * passed, so started (reached Plan) ≤ finished (reached Standard), and an adapt loop back to Plan
 * does not restart the clock (first entry, unlike ActionableAgile's last).
 */
import { FLOW_STAGES, STAGES, type FlowStage, type Stage } from '../board/stages';

export const END_STATES = ['standard', 'parked', 'declined', 'abandoned'] as const;
export type EndState = (typeof END_STATES)[number];

export function isEndState(value: unknown): value is EndState {
	return typeof value === 'string' && (END_STATES as readonly string[]).includes(value);
}

/** One stage event as card_events holds it. */
export interface FlowEvent {
	/** card_events.id: the tie-breaker for events with the same `at`. */
	id: number;
	fromStage: string | null;
	toStage: string;
	/** ms since epoch */
	at: number;
	cycle: number;
}

export interface CardFlowSummary {
	/** The stage of the last event and when it was entered (the open visit). */
	stage: string;
	cycle: number;
	stageEnteredAt: number;
	eventCount: number;
	/** The first event: when the card was proposed (or created into a later stage). */
	createdAt: number;
	/** The first move after creation: the proposal's first response from the flow. */
	firstResponseAt: number | null;
	reached: Record<FlowStage, number | null>;
	firstParkedAt: number | null;
	firstDeclinedAt: number | null;
	endState: EndState | null;
	/** Milliseconds in each stage over closed visits, every cycle (the open visit is not here). */
	msInStage: Record<Stage, number>;
}

function emptyStageMs(): Record<Stage, number> {
	return Object.fromEntries(STAGES.map((stage) => [stage, 0])) as Record<Stage, number>;
}

function flowIndex(stage: string): number {
	return (FLOW_STAGES as readonly string[]).indexOf(stage);
}

/** The summary of one card's events; null when it has none. */
export function summarizeCardEvents(events: readonly FlowEvent[]): CardFlowSummary | null {
	if (events.length === 0) return null;
	const ordered = [...events].sort((a, b) => a.at - b.at || a.id - b.id);
	const reached = Object.fromEntries(FLOW_STAGES.map((stage) => [stage, null])) as Record<
		FlowStage,
		number | null
	>;
	const msInStage = emptyStageMs();
	let firstParkedAt: number | null = null;
	let firstDeclinedAt: number | null = null;
	ordered.forEach((event, i) => {
		const next = ordered[i + 1];
		if (next && event.toStage in msInStage) msInStage[event.toStage as Stage] += next.at - event.at;
		const index = flowIndex(event.toStage);
		// Arriving in a flow stage also reaches every earlier one not reached yet.
		for (let s = 0; s <= index; s++) reached[FLOW_STAGES[s]!] ??= event.at;
		if (event.toStage === 'parked') firstParkedAt ??= event.at;
		if (event.toStage === 'declined') firstDeclinedAt ??= event.at;
	});
	const last = ordered[ordered.length - 1]!;
	return {
		stage: last.toStage,
		cycle: last.cycle,
		stageEnteredAt: last.at,
		eventCount: ordered.length,
		createdAt: ordered[0]!.at,
		firstResponseAt: ordered[1]?.at ?? null,
		reached,
		firstParkedAt,
		firstDeclinedAt,
		endState: endStateOf(last),
		msInStage
	};
}

/** Declined from Act is an abandon decision (lifecycle.ts DECISION_TARGET); elsewhere a decline. */
function endStateOf(last: FlowEvent): EndState | null {
	if (last.toStage === 'standard' || last.toStage === 'parked') return last.toStage;
	if (last.toStage === 'declined') return last.fromStage === 'act' ? 'abandoned' : 'declined';
	return null;
}
