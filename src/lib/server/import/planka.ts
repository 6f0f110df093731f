/**
 * Planka's board, as its API returns it (`GET /api/boards/:id`: `{ item, included: { lists,
 * cards, actions } }`) or flattened (`{ board, lists, cards, actions }`). Lists become stages by
 * name (plan.ts); a card's description is its problem; `moveCard` actions (their `toList`) and
 * `createCard` become stage dates with their original times. Pure: reading stores nothing.
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
	planCards,
	stageFromName
} from './plan';

const array = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export function readPlanka(bytes: Uint8Array): ImportReading {
	const decoded = decodeText(bytes);
	if (!decoded.ok) return failure(decoded.code, decoded.detail);
	const parsed = parseJson(decoded.text);
	if (!parsed.ok) return failure('malformed', parsed.detail);
	const root = parsed.value;
	if (!isJsonObject(root)) return failure('wrong_format', 'planka');
	const included = isJsonObject(root.included) ? root.included : root;
	const board = isJsonObject(root.item) ? root.item : isJsonObject(root.board) ? root.board : null;
	if (!board || !Array.isArray(included.lists) || !Array.isArray(included.cards)) {
		return failure('wrong_format', 'planka');
	}
	const listStage = new Map<string, Stage>();
	for (const list of included.lists) {
		if (!isJsonObject(list) || (typeof list.id !== 'string' && typeof list.id !== 'number'))
			continue;
		listStage.set(String(list.id), stageFromName(list.name) ?? 'proposed');
	}
	const moves = new Map<string, { stage: Stage; at: number }[]>();
	for (const action of array(included.actions)) {
		if (!isJsonObject(action) || !isJsonObject(action.data)) continue;
		const cardId = action.cardId;
		const at = parseTime(action.createdAt);
		if ((typeof cardId !== 'string' && typeof cardId !== 'number') || at === null) continue;
		const list =
			action.type === 'moveCard'
				? action.data.toList
				: action.type === 'createCard'
					? action.data.list
					: null;
		if (!isJsonObject(list)) continue;
		const stage =
			(list.id !== undefined ? listStage.get(String(list.id)) : undefined) ??
			stageFromName(list.name);
		if (!stage) continue;
		const history = moves.get(String(cardId)) ?? [];
		history.push({ stage, at });
		moves.set(String(cardId), history);
	}
	return planCards('planka', cleanTitle(board.name) || 'Planka', included.cards, (card) => ({
		name: card.name,
		stage: listStage.get(String(card.listId)),
		listValue: card.listId,
		description: card.description,
		labels: [],
		createdAt: parseTime(card.createdAt),
		stageDates: moves.get(String(card.id)) ?? []
	}));
}
