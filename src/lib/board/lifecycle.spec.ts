import { describe, expect, it } from 'vitest';
import { cycleAfterMove, missingForMove, type GateFacts } from './lifecycle';

const empty: GateFacts = {
	problem: '',
	beneficiary: '',
	hasGoal: false,
	result: '',
	decision: null,
	endReason: '',
	pendingInputs: 0,
	decidedAnyway: '',
	standard: { text: '', hasOwner: false, reviewDate: null }
};
const STANDARD_MISSING = ['standard_text', 'standard_owner', 'standard_review'];
const written = { text: 'Breakfast in two sittings', hasOwner: true, reviewDate: '2027-06-01' };
const planned: GateFacts = {
	...empty,
	problem: 'Breakfast is late',
	beneficiary: 'Residents',
	hasGoal: true
};

describe('stage gates', () => {
	it('asks for a problem and a beneficiary before Plan', () => {
		expect(missingForMove(empty, 'proposed', 'plan')).toEqual(['problem', 'beneficiary']);
		expect(
			missingForMove({ ...empty, problem: 'x', beneficiary: 'y' }, 'proposed', 'plan')
		).toEqual([]);
	});

	it('applies the gates cumulatively when a card skips stages', () => {
		expect(missingForMove(empty, 'proposed', 'do')).toEqual(['problem', 'beneficiary', 'goal']);
		expect(missingForMove(planned, 'plan', 'act')).toEqual(['result']);
	});

	it('asks for a goal before Do and a result before Act', () => {
		expect(missingForMove({ ...planned, hasGoal: false }, 'plan', 'do')).toEqual(['goal']);
		expect(missingForMove(planned, 'check', 'act')).toEqual(['result']);
		expect(
			missingForMove({ ...planned, result: 'Waiting fell by 20 min' }, 'check', 'act')
		).toEqual([]);
	});

	it('lets cards move back and be parked without conditions', () => {
		expect(missingForMove(empty, 'check', 'plan')).toEqual([]);
		expect(missingForMove(empty, 'do', 'parked')).toEqual([]);
	});

	it('needs a decision to leave Act, and the decision chooses the stage', () => {
		const checked = { ...planned, result: 'Better', standard: written };
		expect(missingForMove(checked, 'act', 'standard')).toEqual(['decision']);
		expect(missingForMove({ ...checked, decision: 'adapt' }, 'act', 'standard')).toEqual([
			'decision_mismatch'
		]);
		expect(missingForMove({ ...checked, decision: 'adapt' }, 'act', 'plan')).toEqual([]);
		expect(missingForMove({ ...checked, decision: 'adopt' }, 'act', 'standard')).toEqual([]);
		expect(missingForMove({ ...checked, decision: 'abandon' }, 'act', 'declined')).toEqual([
			'end_reason'
		]);
		expect(
			missingForMove({ ...checked, decision: 'abandon', endReason: 'No effect' }, 'act', 'declined')
		).toEqual([]);
	});

	it('asks why a decision was taken anyway when people affected have not answered', () => {
		const decided = {
			...planned,
			result: 'Better',
			decision: 'adopt' as const,
			pendingInputs: 2,
			standard: written
		};
		expect(missingForMove(decided, 'act', 'standard')).toEqual(['inputs_pending']);
		expect(
			missingForMove({ ...decided, decidedAnyway: 'Night staff away until May' }, 'act', 'standard')
		).toEqual([]);
		expect(missingForMove({ ...decided, decision: 'abandon' }, 'act', 'declined')).toEqual([
			'inputs_pending',
			'end_reason'
		]);
		// Parking is never gated, and everyone answering clears the gate.
		expect(missingForMove(decided, 'act', 'parked')).toEqual([]);
		expect(missingForMove({ ...decided, pendingInputs: 0 }, 'act', 'standard')).toEqual([]);
	});

	it('does not let a card reach Standard without an adopt decision', () => {
		expect(
			missingForMove({ ...planned, result: 'ok', standard: written }, 'check', 'standard')
		).toEqual(['decision']);
	});

	it('needs the standard written out, owned and with a review date before Standard', () => {
		const adopted = { ...planned, result: 'Better', decision: 'adopt' as const };
		expect(missingForMove(adopted, 'act', 'standard')).toEqual(STANDARD_MISSING);
		// Blank text is no text.
		expect(
			missingForMove({ ...adopted, standard: { ...written, text: '  \n ' } }, 'act', 'standard')
		).toEqual(['standard_text']);
		expect(
			missingForMove({ ...adopted, standard: { ...written, hasOwner: false } }, 'act', 'standard')
		).toEqual(['standard_owner']);
		expect(
			missingForMove({ ...adopted, standard: { ...written, reviewDate: null } }, 'act', 'standard')
		).toEqual(['standard_review']);
		expect(missingForMove({ ...adopted, standard: written }, 'act', 'standard')).toEqual([]);
		// Skipping Act does not skip the standard, and the other stages never ask for it.
		expect(missingForMove({ ...planned, result: 'ok' }, 'check', 'standard')).toEqual([
			'decision',
			...STANDARD_MISSING
		]);
		expect(missingForMove(adopted, 'check', 'act')).toEqual([]);
	});

	it('needs a reason to decline', () => {
		expect(missingForMove(empty, 'proposed', 'declined')).toEqual(['end_reason']);
	});
});

describe('cycles', () => {
	it('starts the next cycle only on adapt (Act → Plan)', () => {
		expect(cycleAfterMove(1, 'act', 'plan')).toBe(2);
		expect(cycleAfterMove(2, 'check', 'plan')).toBe(2);
		expect(cycleAfterMove(1, 'act', 'standard')).toBe(1);
	});
});
