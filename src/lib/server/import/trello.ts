/**
 * Trello's board export (Menu → Print, export and share → Export as JSON): lists become stages by
 * their names (plan.ts), open cards become cards (the description is the problem), and the
 * history of `createCard` / `updateCard` (list moves) actions becomes stage dates with their
 * original times. Archived cards and lists are left out. Pure: reading stores nothing.
 */
import type { Stage } from '../../board/stages';
import {
	cleanLongText,
	cleanTitle,
	decodeText,
	failure,
	hasMarkup,
	IMPORT_LIMITS,
	parseJson,
	parseTime,
	plainText,
	Problems,
	stageFromName,
	type ImportCard,
	type ImportReading
} from './plan';

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

export function readTrello(bytes: Uint8Array): ImportReading {
	const decoded = decodeText(bytes);
	if (!decoded.ok) return failure(decoded.code, decoded.detail);
	const parsed = parseJson(decoded.text);
	if (!parsed.ok) return failure('malformed', parsed.detail);
	const board = parsed.value;
	if (!isObj(board) || !Array.isArray(board.lists) || !Array.isArray(board.cards)) {
		return failure('wrong_format', 'trello');
	}
	const listStage = new Map<string, Stage>();
	for (const list of board.lists) {
		if (!isObj(list) || typeof list.id !== 'string' || list.closed === true) continue;
		listStage.set(list.id, stageFromName(list.name) ?? 'proposed');
	}
	// Oldest first: Trello lists actions newest first.
	const moves = new Map<string, { stage: Stage; at: number }[]>();
	const created = new Map<string, number>();
	const actions = Array.isArray(board.actions) ? board.actions : [];
	for (const action of actions) {
		if (!isObj(action) || !isObj(action.data) || !isObj(action.data.card)) continue;
		const cardId = action.data.card.id;
		const at = parseTime(action.date);
		if (typeof cardId !== 'string' || at === null) continue;
		if (action.type === 'createCard') created.set(cardId, at);
		const list = isObj(action.data.listAfter)
			? action.data.listAfter
			: action.type === 'createCard' && isObj(action.data.list)
				? action.data.list
				: null;
		if (!list || typeof list.id !== 'string') continue;
		const stage = listStage.get(list.id) ?? stageFromName(list.name);
		if (!stage) continue;
		const history = moves.get(cardId) ?? [];
		history.push({ stage, at });
		moves.set(cardId, history);
	}
	const problems = new Problems();
	const cards: ImportCard[] = [];
	for (const [index, card] of board.cards.entries()) {
		const row = index + 1;
		if (!isObj(card)) {
			problems.add(row, 'not_an_object', card);
			continue;
		}
		if (card.closed === true) continue;
		const title = cleanTitle(card.name);
		if (!title) {
			problems.add(row, 'no_title', card.name ?? '');
			continue;
		}
		if (hasMarkup(title)) {
			problems.add(row, 'html', title);
			continue;
		}
		const stage = typeof card.idList === 'string' ? listStage.get(card.idList) : undefined;
		if (!stage) {
			problems.add(row, 'unknown_stage', card.idList ?? '');
			continue;
		}
		if (cards.length >= IMPORT_LIMITS.maxCards) {
			problems.add(row, 'too_many_cards', title);
			continue;
		}
		const id = typeof card.id === 'string' ? card.id : '';
		const history = (moves.get(id) ?? []).sort((a, b) => a.at - b.at);
		cards.push({
			title,
			problem: cleanLongText(card.desc),
			beneficiary: '',
			stage,
			labels: Array.isArray(card.labels)
				? card.labels
						.map((label) => plainText(isObj(label) ? label.name : '', 40))
						.filter(Boolean)
						.slice(0, 20)
				: [],
			createdAt: created.get(id) ?? history[0]?.at ?? null,
			stageDates: history
		});
	}
	if (cards.length === 0 && problems.count === 0) return failure('no_cards');
	return {
		ok: true,
		plan: {
			format: 'trello',
			boardName: cleanTitle(board.name) || 'Trello',
			cards,
			problems: problems.list,
			problemCount: problems.count
		}
	};
}
