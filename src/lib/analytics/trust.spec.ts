import { describe, expect, it } from 'vitest';
import { trustFigures, type TrustFacts } from './trust';

const facts: TrustFacts = {
	teamSize: 8,
	participants: 6,
	proposers: 4,
	owners: 3,
	inputGivers: 2,
	decisionsWithAllInput: 3,
	decisionsWithoutAllInput: 1,
	followUpsOverdue: 2,
	followUpsUpcoming: 6,
	firstResponseDays: [
		{ value: 1, count: 5 },
		{ value: 3, count: 4 },
		{ value: 12, count: 1 }
	],
	unanswered: 2,
	proposalsByStaff: 9,
	proposalsByManagers: 3,
	proposalsByOthers: 1
};

describe('trust figures', () => {
	it('turns counts into shares and first-response percentiles', () => {
		const figures = trustFigures(facts);
		expect(figures.participationShare).toBe(0.75);
		expect(figures.allInputShare).toBe(0.75);
		expect(figures.overdueShare).toBe(0.25);
		expect(figures.staffShare).toBe(0.75);
		expect(figures.firstResponse).toEqual({ 50: 1, 85: 3, 95: 12 });
	});

	it('has no share where there is nothing to share', () => {
		const figures = trustFigures({
			...facts,
			teamSize: 0,
			decisionsWithAllInput: 0,
			decisionsWithoutAllInput: 0,
			followUpsOverdue: 0,
			followUpsUpcoming: 0,
			firstResponseDays: [],
			proposalsByStaff: 0,
			proposalsByManagers: 0
		});
		expect(figures.participationShare).toBeNull();
		expect(figures.allInputShare).toBeNull();
		expect(figures.overdueShare).toBeNull();
		expect(figures.staffShare).toBeNull();
		expect(figures.firstResponse).toEqual({ 50: null, 85: null, 95: null });
	});
});
