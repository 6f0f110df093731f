/**
 * Test data for the lifecycle: fills in what every stage gate needs (a problem, a beneficiary, a
 * goal, a result, and the standard written out with an owner and a review date), so sync tests
 * can move a card anywhere in the flow the way the server allows
 * (src/lib/server/lifecycle-guard.ts). Leaving Act still needs a decision.
 */
import type * as Y from 'yjs';
import { cardsMap } from '../../src/lib/board/document';
import {
	cardDetailText,
	cycleText,
	setCycleField,
	setStandardFields,
	standardText
} from '../../src/lib/board/pdca';

export function satisfyGates(doc: Y.Doc, cardId: string): void {
	doc.transact(() => {
		const card = cardsMap(doc).get(cardId);
		if (!card) throw new Error(`no card ${cardId}`);
		if (!card.get('beneficiary')) card.set('beneficiary', 'Invånare');
		const problem = cardDetailText(doc, cardId, 'problem')!;
		if (problem.length === 0) problem.insert(0, 'Det tar för lång tid');
		const cycle = Number(card.get('cycle')) || 1;
		setCycleField(doc, cardId, cycle, {
			key: 'dialogue',
			value: { question: 'Blev det bättre?', withWhom: 'Teamet' }
		});
		const result = cycleText(doc, cardId, cycle, 'result')!;
		if (result.length === 0) result.insert(0, 'Det blev bättre');
		const standard = standardText(doc, cardId)!;
		if (standard.length === 0) standard.insert(0, 'Så här gör vi nu');
		setStandardFields(doc, cardId, {
			owner: { id: 'standard-owner', name: 'Ägaren' },
			reviewDate: '2027-06-01'
		});
	});
}
