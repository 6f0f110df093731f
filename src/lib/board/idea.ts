/**
 * An idea from the capture page (a phone): one card in Proposed with its problem, whom it is for
 * and what could be tried, and the photos attached to it. The card id is made by the phone before
 * the first attempt, so sending again (a retry, a double tap, the offline copy syncing later)
 * finds the card already there and creates nothing: one idea, one card. Framework-free.
 *
 *   card (see document.ts, pdca.ts) also holds:
 *     photos   Y.Map<photoId, at>   ids of rows in card_photos (served by /api/boards/…/photos)
 */
import * as Y from 'yjs';
import { BENEFICIARY_MAX_LENGTH, cardsMap, createCard, TITLE_MAX_LENGTH } from './document';
import { cardDetailText, initCardDetail, type PersonRef } from './pdca';

export const IDEA_TEXT_MAX = 2000;
const TITLE_FROM_PROBLEM = 120;
const PHOTO_ID = /^pho_[a-z2-7]{24}$/;

export interface IdeaInput {
	cardId: string;
	problem: string;
	beneficiary: string;
	idea: string;
	proposer: PersonRef;
	now: number;
}

export type IdeaOutcome = 'created' | 'already-there' | 'empty';

/** The card's title: the problem's first line, shortened at a word where it can be. */
export function titleFromProblem(problem: string): string {
	const line = problem.trim().split(/\r?\n/)[0]?.trim() ?? '';
	if (line.length <= TITLE_FROM_PROBLEM) return line;
	const cut = line.slice(0, TITLE_FROM_PROBLEM);
	const space = cut.lastIndexOf(' ');
	return `${(space > 60 ? cut.slice(0, space) : cut).trimEnd()}…`.slice(0, TITLE_MAX_LENGTH);
}

export function createIdea(doc: Y.Doc, input: IdeaInput): IdeaOutcome {
	const problem = input.problem.trim().slice(0, IDEA_TEXT_MAX);
	if (!problem) return 'empty';
	if (cardsMap(doc).has(input.cardId)) return 'already-there';
	doc.transact(() => {
		createCard(doc, {
			id: input.cardId,
			title: titleFromProblem(problem),
			beneficiary: input.beneficiary.trim().slice(0, BENEFICIARY_MAX_LENGTH),
			stage: 'proposed',
			userId: input.proposer.id,
			now: input.now
		});
		initCardDetail(doc, input.cardId, input.proposer);
		cardDetailText(doc, input.cardId, 'problem')?.insert(0, problem);
		const idea = input.idea.trim().slice(0, IDEA_TEXT_MAX);
		if (idea) cardDetailText(doc, input.cardId, 'idea')?.insert(0, idea);
	});
	return 'created';
}

export function isPhotoId(value: unknown): value is string {
	return typeof value === 'string' && PHOTO_ID.test(value);
}

/** Attaches an uploaded photo to a card; false when there is no such card. */
export function attachPhoto(doc: Y.Doc, cardId: string, photoId: string, at: number): boolean {
	const card = cardsMap(doc).get(cardId);
	if (!(card instanceof Y.Map) || !isPhotoId(photoId)) return false;
	doc.transact(() => {
		let photos = card.get('photos');
		if (!(photos instanceof Y.Map)) {
			photos = new Y.Map<unknown>();
			card.set('photos', photos);
		}
		(photos as Y.Map<unknown>).set(photoId, at);
	});
	return true;
}

/** The card's photo ids, oldest first (malformed entries ignored). */
export function readPhotoIds(doc: Y.Doc, cardId: string): string[] {
	const card = cardsMap(doc).get(cardId);
	const photos = card instanceof Y.Map ? card.get('photos') : null;
	if (!(photos instanceof Y.Map)) return [];
	const list: { id: string; at: number }[] = [];
	photos.forEach((at, id) => {
		if (isPhotoId(id)) list.push({ id, at: typeof at === 'number' ? at : 0 });
	});
	return list.sort((a, b) => a.at - b.at).map((p) => p.id);
}
