import { describe, expect, it } from 'vitest';
import type { Comment } from '$lib/board/pdca';
import { historyItems, parseEventsResponse } from './card-history';

const comment = (id: string, at: number): Comment => ({
	id,
	author: { id: 'u-1', name: 'Alice' },
	text: `comment ${id}`,
	mentions: [],
	at
});

describe('historyItems', () => {
	it('merges stage events and comments in time order, with the cycle and any override', () => {
		const items = historyItems(
			[
				{
					fromStage: null,
					toStage: 'proposed',
					at: '2026-11-01T08:00:00.000Z',
					byName: 'Alice',
					cycle: 1,
					overrideReason: null
				},
				{
					fromStage: 'act',
					toStage: 'plan',
					at: '2026-11-03T08:00:00.000Z',
					byName: null,
					cycle: 2,
					overrideReason: '  '
				},
				{
					fromStage: 'plan',
					toStage: 'do',
					at: '2026-11-04T08:00:00.000Z',
					byName: 'Bo',
					cycle: 2,
					overrideReason: 'Start before the holidays'
				}
			],
			[comment('c1', Date.parse('2026-11-02T08:00:00.000Z'))]
		);
		expect(items.map((i) => i.kind)).toEqual(['move', 'comment', 'move', 'move']);
		expect(items[2]).toMatchObject({ from: 'act', to: 'plan', cycle: 2, overrideReason: null });
		expect(items[3]).toMatchObject({ byName: 'Bo', overrideReason: 'Start before the holidays' });
	});

	it('keeps the server order of events that share a time, and drops unknown stages', () => {
		const at = '2026-11-01T08:00:00.000Z';
		const items = historyItems(
			[
				{ fromStage: null, toStage: 'proposed', at, byName: 'A', cycle: 1, overrideReason: null },
				{ fromStage: 'proposed', toStage: 'plan', at, byName: 'A', cycle: 1, overrideReason: null },
				{ fromStage: 'plan', toStage: 'limbo', at, byName: 'A', cycle: 1, overrideReason: null },
				{
					fromStage: 'plan',
					toStage: 'do',
					at: 'not a date',
					byName: 'A',
					cycle: 1,
					overrideReason: null
				}
			],
			[]
		);
		expect(items.map((i) => (i.kind === 'move' ? i.to : ''))).toEqual(['proposed', 'plan']);
	});
});

describe('parseEventsResponse', () => {
	it('keeps well-formed events and drops the rest', () => {
		expect(
			parseEventsResponse({
				events: [
					{
						fromStage: 'plan',
						toStage: 'do',
						at: '2026-11-01T08:00:00Z',
						byName: 'A',
						cycle: 1,
						overrideReason: null
					},
					{ toStage: 'do', at: '2026-11-01T08:00:00Z' },
					'junk',
					null
				]
			})
		).toEqual([
			{
				fromStage: 'plan',
				toStage: 'do',
				at: '2026-11-01T08:00:00Z',
				byName: 'A',
				cycle: 1,
				overrideReason: null
			}
		]);
		expect(parseEventsResponse({ events: 'x' })).toEqual([]);
		expect(parseEventsResponse(null)).toEqual([]);
	});
});
