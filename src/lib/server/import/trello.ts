/**
 * Trello's board export (Menu → Print, export and share → Export as JSON): lists become stages by
 * their names (plan.ts), open cards become cards (the description is the problem), and the
 * history of `createCard` / `updateCard` (list moves) actions becomes stage dates with their
 * original times. Archived cards and lists are left out. Pure: reading stores nothing.
 */
import type { Stage } from '../../board/stages';
import {
	cleanTitle,
	decodeText,
	failure,
	type ImportReading,
	isJsonObject,
	parseJson,
	parseTime,
	plainText,
	planCards,
	stageFromName
} from './plan';

export function readTrello(bytes: Uint8Array): ImportReading {
	const decoded = decodeText(bytes);
	if (!decoded.ok) return failure(decoded.code, decoded.detail);
	const parsed = parseJson(decoded.text);
	if (!parsed.ok) return failure('malformed', parsed.detail);
	const board = parsed.value;
	if (!isJsonObject(board) || !Array.isArray(board.lists) || !Array.isArray(board.cards)) {
		return failure('wrong_format', 'trello');
	}
	const listStage = new Map<string, Stage>();
	for (const list of board.lists) {
		if (!isJsonObject(list) || typeof list.id !== 'string' || list.closed === true) continue;
		listStage.set(list.id, stageFromName(list.name) ?? 'proposed');
	}
	// Oldest first: Trello lists actions newest first.
	const moves = new Map<string, { stage: Stage; at: number }[]>();
	const created = new Map<string, number>();
	const actions = Array.isArray(board.actions) ? board.actions : [];
	for (const action of actions) {
		if (!isJsonObject(action) || !isJsonObject(action.data) || !isJsonObject(action.data.card))
			continue;
		const cardId = action.data.card.id;
		const at = parseTime(action.date);
		if (typeof cardId !== 'string' || at === null) continue;
		if (action.type === 'createCard') created.set(cardId, at);
		const list = isJsonObject(action.data.listAfter)
			? action.data.listAfter
			: action.type === 'createCard' && isJsonObject(action.data.list)
				? action.data.list
				: null;
		if (!list || typeof list.id !== 'string') continue;
		const stage = listStage.get(list.id) ?? stageFromName(list.name);
		if (!stage) continue;
		const history = moves.get(cardId) ?? [];
		history.push({ stage, at });
		moves.set(cardId, history);
	}
	return planCards('trello', cleanTitle(board.name) || 'Trello', board.cards, (card) => {
		if (card.closed === true) return null;
		const id = typeof card.id === 'string' ? card.id : '';
		return {
			name: card.name,
			stage: typeof card.idList === 'string' ? listStage.get(card.idList) : undefined,
			listValue: card.idList,
			description: card.desc,
			labels: Array.isArray(card.labels)
				? card.labels
						.map((label) => plainText(isJsonObject(label) ? label.name : '', 40))
						.filter(Boolean)
						.slice(0, 20)
				: [],
			createdAt: created.get(id) ?? null,
			stageDates: moves.get(id) ?? []
		};
	});
}
