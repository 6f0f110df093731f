import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCard, readCards } from '../../src/lib/board/document';
import { projectRow } from '../../src/lib/server/projection/facts';
import { boundBatch } from './guarded-store';

function rowOf(title: string, id?: string) {
	const doc = new Y.Doc();
	createCard(doc, { title, userId: 'u', ...(id ? { id } : {}) });
	return projectRow({ card: readCards(doc)[0]!, summary: null, stageEnteredAt: 1, now: 1 });
}

describe('boundBatch', () => {
	it('cleans texts, nulls ids no index can hold, and skips rows and events of such cards', () => {
		const row = {
			...rowOf('Gift\u0000kort'),
			owner_id: 'o'.repeat(4_000),
			owner_name: 'Namn\u0000',
			labels: ['a\u0000', '', 'b'],
			affected_user_ids: ['ok', 'p'.repeat(4_000)]
		};
		const long = rowOf('Långt id', 'k'.repeat(200));
		const { batch, dropped } = boundBatch({
			boardId: 'b',
			update: null,
			events: [
				{
					cardId: row.id,
					fromStage: null,
					toStage: 'plan',
					at: 1,
					byUserId: null,
					cycle: 1,
					overrideReason: 'varför\u0000'
				},
				{ cardId: long.id, fromStage: null, toStage: 'plan', at: 1, byUserId: null, cycle: 1 }
			],
			upserts: [row, long],
			deletedCardIds: ['x\u0000', 'gone']
		});
		expect(dropped).toEqual([long.id]);
		expect(batch.upserts).toHaveLength(1);
		const bounded = batch.upserts[0]!;
		expect(bounded.title).toBe('Giftkort');
		expect(bounded.owner_id).toBeNull();
		expect(bounded.owner_name).toBe('Namn');
		expect(bounded.labels).toEqual(['a', 'b']);
		expect(bounded.affected_user_ids).toEqual(['ok']);
		expect(batch.events).toEqual([
			expect.objectContaining({ cardId: row.id, overrideReason: 'varför' })
		]);
		expect(batch.deletedCardIds).toEqual(['gone']);
	});
});
