/**
 * Planka's board, as its API returns it (`GET /api/boards/:id`: `{ item, included: { lists,
 * cards, actions } }`) or flattened (`{ board, lists, cards, actions }`). Lists become stages by
 * name (plan.ts); a card's description is its problem; `moveCard` actions (their `toList`) and
 * `createCard` become stage dates with their original times. Pure: reading stores nothing.
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
	Problems,
	stageFromName,
	type ImportCard,
	type ImportReading
} from './plan';

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj =>
	typeof value === 'object' && value !== null && !Array.isArray(value);
const array = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export function readPlanka(bytes: Uint8Array): ImportReading {
	const decoded = decodeText(bytes);
	if (!decoded.ok) return failure(decoded.code, decoded.detail);
	const parsed = parseJson(decoded.text);
	if (!parsed.ok) return failure('malformed', parsed.detail);
	const root = parsed.value;
	if (!isObj(root)) return failure('wrong_format', 'planka');
	const included = isObj(root.included) ? root.included : root;
	const board = isObj(root.item) ? root.item : isObj(root.board) ? root.board : null;
	if (!board || !Array.isArray(included.lists) || !Array.isArray(included.cards)) {
		return failure('wrong_format', 'planka');
	}
	const listStage = new Map<string, Stage>();
	for (const list of included.lists) {
		if (!isObj(list) || (typeof list.id !== 'string' && typeof list.id !== 'number')) continue;
		listStage.set(String(list.id), stageFromName(list.name) ?? 'proposed');
	}
	const moves = new Map<string, { stage: Stage; at: number }[]>();
	for (const action of array(included.actions)) {
		if (!isObj(action) || !isObj(action.data)) continue;
		const cardId = action.cardId;
		const at = parseTime(action.createdAt);
		if ((typeof cardId !== 'string' && typeof cardId !== 'number') || at === null) continue;
		const list =
			action.type === 'moveCard'
				? action.data.toList
				: action.type === 'createCard'
					? action.data.list
					: null;
		if (!isObj(list)) continue;
		const stage =
			(list.id !== undefined ? listStage.get(String(list.id)) : undefined) ??
			stageFromName(list.name);
		if (!stage) continue;
		const history = moves.get(String(cardId)) ?? [];
		history.push({ stage, at });
		moves.set(String(cardId), history);
	}
	const problems = new Problems();
	const cards: ImportCard[] = [];
	for (const [index, card] of included.cards.entries()) {
		const row = index + 1;
		if (!isObj(card)) {
			problems.add(row, 'not_an_object', card);
			continue;
		}
		const title = cleanTitle(card.name);
		if (!title) {
			problems.add(row, 'no_title', card.name ?? '');
			continue;
		}
		if (hasMarkup(title)) {
			problems.add(row, 'html', title);
			continue;
		}
		const stage = listStage.get(String(card.listId));
		if (!stage) {
			problems.add(row, 'unknown_stage', card.listId ?? '');
			continue;
		}
		if (cards.length >= IMPORT_LIMITS.maxCards) {
			problems.add(row, 'too_many_cards', title);
			continue;
		}
		const history = (moves.get(String(card.id)) ?? []).sort((a, b) => a.at - b.at);
		cards.push({
			title,
			problem: cleanLongText(card.description),
			beneficiary: '',
			stage,
			labels: [],
			createdAt: parseTime(card.createdAt) ?? history[0]?.at ?? null,
			stageDates: history
		});
	}
	if (cards.length === 0 && problems.count === 0) return failure('no_cards');
	return {
		ok: true,
		plan: {
			format: 'planka',
			boardName: cleanTitle(board.name) || 'Planka',
			cards,
			problems: problems.list,
			problemCount: problems.count
		}
	};
}
