/**
 * The lifecycle's rules (DESIGN.md §3), as pure functions shared by client and server: which
 * stage gates a move must pass, and what a move does to the card's PDCA cycle. The client uses
 * them to say what is missing before a move; the server uses the same functions to refuse a move
 * from a modified client, so the event log never records an illegal transition as legal.
 */
import { FLOW_STAGES, isFlowStage, type Stage } from './stages';

/** What a gate looks at: a card's lifecycle facts, already read and validated from the document. */
export interface GateFacts {
	problem: string;
	beneficiary: string;
	/** A goal exists: a number (name + target) and/or a dialogue (a question to follow up). */
	hasGoal: boolean;
	result: string;
	decision: Decision | null;
	/** Why the card is declined or abandoned (needed to enter Declined). */
	endReason: string;
	/** How many of the people the card affects have not given input in the current cycle. */
	pendingInputs: number;
	/** The Act decision's reason for deciding before everyone affected answered ('' when none). */
	decidedAnyway: string;
	/** The standard as written so far: the new way of working, its owner and next review. */
	standard: StandardFacts;
}

export interface StandardFacts {
	text: string;
	hasOwner: boolean;
	/** 'YYYY-MM-DD' or null. */
	reviewDate: string | null;
}

export const DECISIONS = ['adopt', 'adapt', 'abandon'] as const;
export type Decision = (typeof DECISIONS)[number];

export function isDecision(value: unknown): value is Decision {
	return typeof value === 'string' && (DECISIONS as readonly string[]).includes(value);
}

/** Each missing item a gate can name; the UI translates them. */
export const MISSING = [
	'problem',
	'beneficiary',
	'goal',
	'result',
	'decision',
	'decision_mismatch',
	'end_reason',
	/** Leaving Act while people affected have not answered, without a reason to decide anyway. */
	'inputs_pending',
	/** A standard nobody wrote down, nobody owns or nobody reviews is no standard (DESIGN.md §2.6). */
	'standard_text',
	'standard_owner',
	'standard_review'
] as const;
export type Missing = (typeof MISSING)[number];

/** Where each Act decision sends the card. */
export const DECISION_TARGET: Record<Decision, Stage> = {
	adopt: 'standard',
	adapt: 'plan',
	abandon: 'declined'
};

function flowIndex(stage: Stage): number {
	return isFlowStage(stage) ? FLOW_STAGES.indexOf(stage) : -1;
}

/**
 * What is missing for a move from `from` to `to`. Gates are cumulative along the flow: a card that
 * jumps from Proposed to Do needs what Plan needs too. Moving back is always allowed, and so is
 * parking. Leaving Act (other than to Parked) needs a decision, and the decision decides where;
 * when people affected have not answered yet (DESIGN.md §2.3), the decision must also say why it
 * was taken anyway.
 */
export function missingForMove(facts: GateFacts, from: Stage, to: Stage): Missing[] {
	if (!moveHasGates(from, to)) return [];
	const missing: Missing[] = [];
	if (from === 'act') {
		if (!facts.decision) return ['decision'];
		if (DECISION_TARGET[facts.decision] !== to) return ['decision_mismatch'];
		if (facts.pendingInputs > 0 && !facts.decidedAnyway.trim()) missing.push('inputs_pending');
		if (to === 'declined' && !facts.endReason.trim()) missing.push('end_reason');
		if (to === 'standard') missing.push(...missingForStandard(facts.standard));
		return missing;
	}
	if (to === 'declined') return facts.endReason.trim() ? [] : ['end_reason'];
	const toIndex = flowIndex(to);
	if (!facts.problem.trim()) missing.push('problem');
	if (!facts.beneficiary.trim()) missing.push('beneficiary');
	if (toIndex >= flowIndex('do') && !facts.hasGoal) missing.push('goal');
	if (toIndex >= flowIndex('act') && !facts.result.trim()) missing.push('result');
	// Standard is reached through an Act decision to adopt, with the standard written out.
	if (to === 'standard') {
		if (facts.decision !== 'adopt') missing.push('decision');
		missing.push(...missingForStandard(facts.standard));
	}
	return missing;
}

/**
 * Whether a move from `from` to `to` has any gate at all, i.e. looks at the card's facts: not a
 * move within a stage, to Parked, backwards (or out of Parked/Declined into an earlier stage than
 * before: nothing new beyond the gates of the stage it enters), or back to Proposed. The server
 * reads a card's facts only when it does (reading them all cost ~5 % of its CPU per move, S2).
 */
export function moveHasGates(from: Stage, to: Stage): boolean {
	if (from === to || to === 'parked') return false;
	if (from === 'act' || to === 'declined') return true;
	const fromIndex = flowIndex(from);
	const toIndex = flowIndex(to);
	if (fromIndex >= 0 && toIndex <= fromIndex) return false;
	return toIndex >= flowIndex('plan');
}

/** What entering Standard needs of the standard itself: its text, an owner and a review date. */
function missingForStandard(standard: StandardFacts): Missing[] {
	const missing: Missing[] = [];
	if (!standard.text.trim()) missing.push('standard_text');
	if (!standard.hasOwner) missing.push('standard_owner');
	if (!standard.reviewDate) missing.push('standard_review');
	return missing;
}

/** The cycle number after a move: an adapt decision (Act → Plan) starts the next PDCA cycle. */
export function cycleAfterMove(cycle: number, from: Stage, to: Stage): number {
	return from === 'act' && to === 'plan' ? cycle + 1 : cycle;
}
