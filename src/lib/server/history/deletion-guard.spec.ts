import { describe, expect, it } from 'vitest';
import { judgeDeletion } from './deletion-guard';

describe('judgeDeletion', () => {
	it('lets anyone delete a handful of cards', () => {
		expect(judgeDeletion({ deleted: 1, cardsBefore: 3, senderRole: 'member' })).toEqual({
			kind: 'allow'
		});
		expect(judgeDeletion({ deleted: 4, cardsBefore: 5, senderRole: 'member' }).kind).toBe('allow');
		expect(judgeDeletion({ deleted: 10, cardsBefore: 100, senderRole: 'member' }).kind).toBe(
			'allow'
		);
	});

	it('refuses a member more than ten cards, or more than a fifth of a board', () => {
		expect(judgeDeletion({ deleted: 11, cardsBefore: 1000, senderRole: 'member' })).toEqual({
			kind: 'refuse',
			deleted: 11,
			limit: 10
		});
		expect(judgeDeletion({ deleted: 5, cardsBefore: 20, senderRole: 'member' })).toEqual({
			kind: 'refuse',
			deleted: 5,
			limit: 4
		});
		expect(judgeDeletion({ deleted: 5, cardsBefore: 25, senderRole: 'member' }).kind).toBe('allow');
	});

	it('lets managers, admins and the server itself delete any number', () => {
		for (const senderRole of ['manager', 'admin', null] as const) {
			expect(judgeDeletion({ deleted: 500, cardsBefore: 500, senderRole }).kind).toBe('allow');
		}
	});

	it('allows an update that deletes nothing', () => {
		expect(judgeDeletion({ deleted: 0, cardsBefore: 0, senderRole: 'viewer' }).kind).toBe('allow');
	});
});
