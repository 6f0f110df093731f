import { describe, expect, it } from 'vitest';
import type { CardFacts } from '../card-facts';
import type { CardView } from '../document';
import type { Stage } from '../stages';
import { emptyColumns } from './card-views';
import {
	activeFilterCount,
	cardMatches,
	documentIndexForVisibleMove,
	filterColumns,
	isFollowUpOverdue,
	localDate,
	NO_FILTERS,
	NO_OWNER,
	parseFilters,
	withFilters,
	type BoardFilters
} from './card-filters';

const context = { userId: 'u-me', today: '2026-11-27' };

function facts(overrides: Partial<CardFacts> = {}): CardFacts {
	return {
		beneficiary: 'Residents',
		ownerId: null,
		ownerName: null,
		labels: [],
		followUp: null,
		due: null,
		actionsTotal: 0,
		actionsDone: 0,
		comments: 0,
		cycle: 1,
		needsSupport: false,
		pendingInputIds: [],
		votes: 0,
		...overrides
	};
}

function card(id: string, stage: Stage, beneficiary = 'Residents'): CardView {
	return {
		id,
		title: id,
		description: '',
		beneficiary,
		stage,
		rank: 'a0',
		movedAt: 0,
		movedBy: '',
		cycle: 1,
		createdAt: 0,
		createdBy: ''
	};
}

const only = (filters: Partial<BoardFilters>): BoardFilters => ({ ...NO_FILTERS, ...filters });

describe('filters in the query string', () => {
	it('reads what a bookmarked stand-up address says, and ignores the rest', () => {
		const filters = parseFilters(
			new URLSearchParams('for=Pupils+in+year+7&label=safety&owner=u-1&overdue=1&waiting=1&card=c')
		);
		expect(filters).toEqual({
			beneficiary: 'Pupils in year 7',
			label: 'safety',
			owner: 'u-1',
			overdue: true,
			waitingForMe: true
		});
		expect(activeFilterCount(filters)).toBe(5);
	});

	it('treats empty, blank, over-long and odd flag values as no filter', () => {
		const filters = parseFilters(
			new URLSearchParams(`for=%20%20&label=&owner=${'x'.repeat(201)}&overdue=yes&waiting=0`)
		);
		expect(filters).toEqual(NO_FILTERS);
		expect(activeFilterCount(filters)).toBe(0);
	});

	it('writes filters back, dropping empty ones and keeping other parameters (the open card)', () => {
		const params = withFilters(
			new URLSearchParams('card=c1&label=old&overdue=1'),
			only({ beneficiary: 'Relatives', waitingForMe: true })
		);
		expect(params.get('card')).toBe('c1');
		expect(params.get('for')).toBe('Relatives');
		expect(params.get('waiting')).toBe('1');
		expect(params.has('label')).toBe(false);
		expect(params.has('overdue')).toBe(false);
		expect(parseFilters(params)).toEqual(only({ beneficiary: 'Relatives', waitingForMe: true }));
	});
});

describe('which cards pass', () => {
	it('matches the beneficiary without regard to case, from the facts or the card', () => {
		const filters = only({ beneficiary: 'residents' });
		expect(cardMatches(card('a', 'plan'), facts(), filters, context)).toBe(true);
		expect(cardMatches(card('a', 'plan', 'Residents'), undefined, filters, context)).toBe(true);
		expect(
			cardMatches(card('a', 'plan'), facts({ beneficiary: 'Relatives' }), filters, context)
		).toBe(false);
	});

	it('matches a label and an owner, and "nobody" for cards without an owner', () => {
		const owned = facts({ ownerId: 'u-1', labels: ['safety', 'quality'] });
		expect(cardMatches(card('a', 'do'), owned, only({ label: 'quality' }), context)).toBe(true);
		expect(cardMatches(card('a', 'do'), owned, only({ label: 'cost' }), context)).toBe(false);
		expect(cardMatches(card('a', 'do'), owned, only({ owner: 'u-1' }), context)).toBe(true);
		expect(cardMatches(card('a', 'do'), owned, only({ owner: 'u-2' }), context)).toBe(false);
		expect(cardMatches(card('a', 'do'), owned, only({ owner: NO_OWNER }), context)).toBe(false);
		expect(cardMatches(card('a', 'do'), facts(), only({ owner: NO_OWNER }), context)).toBe(true);
	});

	it('counts a follow-up as overdue only before today and only while the card is in the flow', () => {
		expect(isFollowUpOverdue('2026-11-26', 'do', context.today)).toBe(true);
		expect(isFollowUpOverdue('2026-11-27', 'do', context.today)).toBe(false);
		expect(isFollowUpOverdue(null, 'do', context.today)).toBe(false);
		expect(isFollowUpOverdue('2026-01-01', 'standard', context.today)).toBe(false);
		expect(isFollowUpOverdue('2026-01-01', 'declined', context.today)).toBe(false);
		expect(isFollowUpOverdue('2026-01-01', 'proposed', context.today)).toBe(true);
	});

	it('waits for my input only when I owe it and the card is in Check or Act', () => {
		const asked = facts({ pendingInputIds: ['u-me', 'u-other'] });
		const filters = only({ waitingForMe: true });
		expect(cardMatches(card('a', 'check'), asked, filters, context)).toBe(true);
		expect(cardMatches(card('a', 'act'), asked, filters, context)).toBe(true);
		expect(cardMatches(card('a', 'plan'), asked, filters, context)).toBe(false);
		expect(
			cardMatches(card('a', 'check'), facts({ pendingInputIds: ['u-other'] }), filters, context)
		).toBe(false);
	});

	it('needs every active filter to pass', () => {
		const overdueSafety = facts({ labels: ['safety'], followUp: '2026-11-01' });
		expect(
			cardMatches(card('a', 'do'), overdueSafety, only({ label: 'safety', overdue: true }), context)
		).toBe(true);
		expect(
			cardMatches(card('a', 'do'), overdueSafety, only({ label: 'cost', overdue: true }), context)
		).toBe(false);
	});
});

describe('filterColumns', () => {
	it('returns the same columns when nothing is filtered', () => {
		const columns = emptyColumns();
		columns.plan = [card('a', 'plan'), card('b', 'plan')];
		const result = filterColumns(columns, () => undefined, NO_FILTERS, context);
		expect(result.columns).toBe(columns);
		expect(result).toMatchObject({ shown: 2, total: 2 });
	});

	it('keeps the passing cards in their order and counts them', () => {
		const columns = emptyColumns();
		columns.plan = [card('a', 'plan'), card('b', 'plan'), card('c', 'plan')];
		columns.do = [card('d', 'do')];
		const labelled: Record<string, CardFacts> = {
			a: facts({ labels: ['safety'] }),
			c: facts({ labels: ['safety'] }),
			d: facts()
		};
		const result = filterColumns(columns, (id) => labelled[id], only({ label: 'safety' }), context);
		expect(result.columns.plan.map((c) => c.id)).toEqual(['a', 'c']);
		expect(result.columns.do).toEqual([]);
		expect(result).toMatchObject({ shown: 2, total: 4 });
	});
});

describe('documentIndexForVisibleMove', () => {
	const full = ['a', 'h1', 'b', 'h2', 'c'].map((id) => ({ id }));

	it('puts the card just before its next visible neighbour, so hidden cards keep their places', () => {
		// Visible: a, b, c. The person moves c up between a and b.
		expect(
			documentIndexForVisibleMove(
				full,
				['a', 'c', 'b'].map((id) => ({ id })),
				'c'
			)
		).toBe(2);
	});

	it('puts a card dropped last just after the previous visible card', () => {
		// a moves to the end of the visible list: after c, which is last in the whole column too.
		expect(
			documentIndexForVisibleMove(
				full,
				['b', 'c', 'a'].map((id) => ({ id })),
				'a'
			)
		).toBe(4);
	});

	it('places a card coming from another column relative to its visible neighbours', () => {
		expect(
			documentIndexForVisibleMove(
				full,
				['a', 'x', 'b', 'c'].map((id) => ({ id })),
				'x'
			)
		).toBe(2);
		expect(documentIndexForVisibleMove(full, [{ id: 'x' }], 'x')).toBe(5);
		expect(documentIndexForVisibleMove([], [{ id: 'x' }], 'x')).toBe(0);
	});

	it('is the plain index when nothing is hidden', () => {
		const column = ['a', 'b', 'c'].map((id) => ({ id }));
		expect(
			documentIndexForVisibleMove(
				column,
				['b', 'a', 'c'].map((id) => ({ id })),
				'a'
			)
		).toBe(1);
		expect(
			documentIndexForVisibleMove(
				column,
				['a', 'c', 'b'].map((id) => ({ id })),
				'b'
			)
		).toBe(2);
	});
});

describe('localDate', () => {
	it('writes the local calendar date', () => {
		expect(localDate(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05');
	});
});
