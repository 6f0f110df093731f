import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readCards } from './document';
import { attachPhoto, createIdea, readPhotoIds, titleFromProblem } from './idea';
import { readCardDetail } from './pdca';

const proposer = { id: 'usr_a', name: 'Anna' };
const idea = (cardId: string) => ({
	cardId,
	problem: 'Medicinvagnen står i vägen i korridoren\nmer text',
	beneficiary: 'Boende på avdelning 3',
	idea: 'En nisch vid förrådet',
	proposer,
	now: 1000
});

describe('createIdea', () => {
	it('creates one proposal with problem, beneficiary, idea and proposer', () => {
		const doc = new Y.Doc();
		expect(createIdea(doc, idea('c1'))).toBe('created');
		const detail = readCardDetail(doc, 'c1');
		expect(detail).toMatchObject({
			title: 'Medicinvagnen står i vägen i korridoren',
			stage: 'proposed',
			beneficiary: 'Boende på avdelning 3',
			idea: 'En nisch vid förrådet',
			proposer,
			createdBy: 'usr_a'
		});
		expect(detail?.problem).toContain('mer text');
	});

	it('creates nothing the second time the same idea is sent (a retry, a double tap)', () => {
		const doc = new Y.Doc();
		createIdea(doc, idea('c1'));
		expect(createIdea(doc, { ...idea('c1'), problem: 'Igen' })).toBe('already-there');
		expect(readCards(doc)).toHaveLength(1);
		expect(readCardDetail(doc, 'c1')?.problem).toContain('Medicinvagnen');
	});

	it('is one card when two replicas of the board both hold the same idea', () => {
		const phone = new Y.Doc();
		const laptop = new Y.Doc();
		createIdea(phone, idea('c1'));
		Y.applyUpdate(laptop, Y.encodeStateAsUpdate(phone));
		Y.applyUpdate(phone, Y.encodeStateAsUpdate(laptop));
		expect(readCards(laptop)).toHaveLength(1);
	});

	it('refuses an idea without a problem', () => {
		const doc = new Y.Doc();
		expect(createIdea(doc, { ...idea('c1'), problem: '   ' })).toBe('empty');
		expect(readCards(doc)).toHaveLength(0);
	});
});

describe('titleFromProblem', () => {
	it('shortens a long first line at a word', () => {
		const title = titleFromProblem(`${'ord '.repeat(50)}slut`);
		expect(title.length).toBeLessThanOrEqual(121);
		expect(title.endsWith('…')).toBe(true);
	});
});

describe('photos', () => {
	it('attaches photo ids to a card and ignores malformed ones', () => {
		const doc = new Y.Doc();
		createIdea(doc, idea('c1'));
		const id = `pho_${'a'.repeat(24)}`;
		expect(attachPhoto(doc, 'c1', id, 5)).toBe(true);
		expect(attachPhoto(doc, 'c1', 'pho_bad', 6)).toBe(false);
		expect(attachPhoto(doc, 'missing', id, 6)).toBe(false);
		expect(readPhotoIds(doc, 'c1')).toEqual([id]);
	});
});
