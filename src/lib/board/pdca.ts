/**
 * The PDCA part of the board document (DESIGN.md §2–3): a card's proposal, its cycles, the input
 * of the people it affects, the decision, the standard, follow-up and the trust practices. Like
 * document.ts (which owns the card's place and title), this is the only code that knows these
 * fields' shape; everything else reads `CardDetail` and writes through the functions below.
 *
 *   card (Y.Map, see document.ts) also holds:
 *     problem, idea        Y.Text        the proposal: the problem today, the idea
 *     proposer             { id, name }  credited all the way to the standard
 *     owner                { id, name } | null
 *     followUp, due        'YYYY-MM-DD' | null
 *     labels               string[]
 *     votes                Y.Map<userId, at>       one vote per person (a key cannot repeat)
 *     affected             Y.Map<userId, name>     people asked for input before Act
 *     inputs               Y.Map<`${cycle}:${userId}`, Input>
 *     comments             Y.Map<commentId, Comment>
 *     support              SupportRequest | null   "needs support" (DESIGN.md §2.7)
 *     endReason            string                  why it was declined or abandoned
 *     standard             Y.Map { text: Y.Text, effectiveDate, owner, reviewDate }
 *     adoptedFrom          AdoptedFrom | null      the standard of another team this card adopts
 *     cycles               Y.Map<'1' | '2' | …, Y.Map>  one per PDCA cycle; earlier ones stay readable
 *       why, target, doNotes, result, learned   Y.Text
 *       measure     NumericMeasure | null;  dialogue  DialogueMeasure | null
 *       actions     Y.Map<id, PlannedAction>; measurements Y.Map<id, Measurement>
 *       dialogueNotes Y.Map<id, DialogueNote>; doStart 'YYYY-MM-DD' | null
 *       decision    ActDecision | null
 *
 * Keyed maps rather than arrays for lists people add to at once: two additions never collide, and
 * an entry is edited by replacing its key (last writer wins per entry, never a lost list).
 * Cycle maps are keyed by number, so two replicas that start cycle 2 at once end with one.
 */
import * as Y from 'yjs';
import {
	cardsMap,
	moveCard,
	readCard,
	settingsMap,
	type CardView,
	type MoveInput
} from './document';
import {
	cycleAfterMove,
	isDecision,
	missingForMove,
	type Decision,
	type GateFacts,
	type Missing
} from './lifecycle';

export const LONG_TEXT_MAX = 20_000;
export const SHORT_TEXT_MAX = 200;
export const DEFAULT_LABELS = ['safety', 'quality', 'delivery', 'cost', 'people'] as const;
export const INPUT_KINDS = ['agree', 'concerns', 'suggestion'] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

export interface PersonRef {
	id: string;
	name: string;
}

export interface NumericMeasure {
	name: string;
	unit: string;
	baseline: number | null;
	target: number | null;
	better: 'up' | 'down';
}

export interface DialogueMeasure {
	question: string;
	withWhom: string;
}

export interface PlannedAction {
	id: string;
	text: string;
	owner: string;
	due: string | null;
	done: boolean;
	at: number;
}

export interface Measurement {
	id: string;
	date: string;
	value: number;
	at: number;
}

export interface DialogueNote {
	id: string;
	date: string;
	participants: string;
	said: string;
	conclusion: string;
	at: number;
}

export interface Input {
	userId: string;
	name: string;
	cycle: number;
	kind: InputKind;
	text: string;
	at: number;
}

export interface ActDecision {
	kind: Decision;
	reasons: string;
	by: PersonRef;
	at: number;
	/** Set when the decision was taken before everyone affected had answered. */
	decidedAnyway: string | null;
	/** The input the decision was taken on, as it stood then. */
	inputs: Input[];
}

export interface Comment {
	id: string;
	author: PersonRef;
	text: string;
	mentions: string[];
	at: number;
}

export interface SupportRequest {
	what: string;
	fromWhom: string;
	raisedBy: PersonRef;
	raisedAt: number;
	resolvedAt: number | null;
}

export interface CycleView {
	number: number;
	why: string;
	target: string;
	measure: NumericMeasure | null;
	dialogue: DialogueMeasure | null;
	actions: PlannedAction[];
	doStart: string | null;
	doNotes: string;
	measurements: Measurement[];
	dialogueNotes: DialogueNote[];
	result: string;
	learned: string;
	decision: ActDecision | null;
}

/** Where an adopted card came from: another team's standard (DESIGN.md §2.8), linked back. */
export interface AdoptedFrom {
	boardId: string;
	cardId: string;
	teamName: string;
	title: string;
}

export interface StandardView {
	text: string;
	effectiveDate: string | null;
	owner: PersonRef | null;
	reviewDate: string | null;
}

export interface CardDetail extends CardView {
	problem: string;
	idea: string;
	proposer: PersonRef | null;
	owner: PersonRef | null;
	followUp: string | null;
	due: string | null;
	labels: string[];
	votes: string[];
	affected: PersonRef[];
	inputs: Input[];
	comments: Comment[];
	support: SupportRequest | null;
	endReason: string;
	standard: StandardView | null;
	adoptedFrom: AdoptedFrom | null;
	/** Every cycle, oldest first; the card's current cycle is `cycles.at(-1)` (or empty). */
	cycles: CycleView[];
}

// ---- validation helpers: every read narrows `unknown` ----

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, max = LONG_TEXT_MAX): string =>
	typeof v === 'string' ? v.slice(0, max) : '';
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date 'YYYY-MM-DD' that exists, or null. */
export function parseDate(value: unknown): string | null {
	// Year 0000 parses in JavaScript but Postgres has no such year (the projection would fail).
	if (typeof value !== 'string' || !DATE.test(value) || value.startsWith('0000')) return null;
	const d = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value) ? value : null;
}

function textOf(value: unknown): string {
	return value instanceof Y.Text ? value.toString() : str(value);
}

function readAdoptedFrom(value: unknown): AdoptedFrom | null {
	if (!isObj(value)) return null;
	const boardId = str(value.boardId, 64);
	const cardId = str(value.cardId, 64);
	if (!boardId || !cardId) return null;
	return {
		boardId,
		cardId,
		teamName: str(value.teamName, SHORT_TEXT_MAX),
		title: str(value.title, SHORT_TEXT_MAX * 2)
	};
}

function person(value: unknown): PersonRef | null {
	if (!isObj(value) || typeof value.id !== 'string' || !value.id) return null;
	return { id: value.id, name: str(value.name, SHORT_TEXT_MAX) };
}

function entries<T>(value: unknown, read: (v: unknown, key: string) => T | null): T[] {
	if (!(value instanceof Y.Map)) return [];
	const out: T[] = [];
	value.forEach((v, k) => {
		const item = read(v, k);
		if (item) out.push(item);
	});
	return out;
}

const byAt = <T extends { at: number; id?: string }>(a: T, b: T) =>
	a.at - b.at || (a.id ?? '').localeCompare(b.id ?? '');

function readInput(v: unknown, key: string): Input | null {
	if (!isObj(v)) return null;
	const kind = INPUT_KINDS.find((k) => k === v.kind);
	const cycle = num(v.cycle);
	const userId = key.split(':')[1];
	if (!kind || cycle === null || !userId) return null;
	return {
		userId,
		name: str(v.name, SHORT_TEXT_MAX),
		cycle,
		kind,
		text: str(v.text),
		at: num(v.at) ?? 0
	};
}

function readDecision(v: unknown): ActDecision | null {
	if (!isObj(v) || !isDecision(v.kind)) return null;
	const by = person(v.by);
	if (!by) return null;
	const inputs = Array.isArray(v.inputs)
		? v.inputs.flatMap((i) => {
				const input = isObj(i) ? readInput(i, `${String(i.cycle)}:${String(i.userId)}`) : null;
				return input ? [input] : [];
			})
		: [];
	return {
		kind: v.kind,
		reasons: str(v.reasons),
		by,
		at: num(v.at) ?? 0,
		decidedAnyway: typeof v.decidedAnyway === 'string' ? v.decidedAnyway : null,
		inputs
	};
}

function readCycle(value: unknown, number: number): CycleView | null {
	if (!(value instanceof Y.Map)) return null;
	const measure = value.get('measure');
	const dialogue = value.get('dialogue');
	return {
		number,
		why: textOf(value.get('why')),
		target: textOf(value.get('target')),
		measure:
			isObj(measure) && str(measure.name)
				? {
						name: str(measure.name, SHORT_TEXT_MAX),
						unit: str(measure.unit, 40),
						baseline: num(measure.baseline),
						target: num(measure.target),
						better: measure.better === 'down' ? 'down' : 'up'
					}
				: null,
		dialogue:
			isObj(dialogue) && str(dialogue.question)
				? { question: str(dialogue.question), withWhom: str(dialogue.withWhom, SHORT_TEXT_MAX) }
				: null,
		actions: entries(value.get('actions'), (v, id) =>
			isObj(v) && str(v.text)
				? {
						id,
						text: str(v.text, 1000),
						owner: str(v.owner, SHORT_TEXT_MAX),
						due: parseDate(v.due),
						done: v.done === true,
						at: num(v.at) ?? 0
					}
				: null
		).sort(byAt),
		doStart: parseDate(value.get('doStart')),
		doNotes: textOf(value.get('doNotes')),
		measurements: entries(value.get('measurements'), (v, id) => {
			const date = isObj(v) ? parseDate(v.date) : null;
			const val = isObj(v) ? num(v.value) : null;
			return date && val !== null ? { id, date, value: val, at: num((v as Obj).at) ?? 0 } : null;
		}).sort((a, b) => a.date.localeCompare(b.date) || a.at - b.at),
		dialogueNotes: entries(value.get('dialogueNotes'), (v, id) => {
			const date = isObj(v) ? parseDate(v.date) : null;
			return date && isObj(v)
				? {
						id,
						date,
						participants: str(v.participants, 1000),
						said: str(v.said),
						conclusion: str(v.conclusion),
						at: num(v.at) ?? 0
					}
				: null;
		}).sort((a, b) => a.date.localeCompare(b.date) || a.at - b.at),
		result: textOf(value.get('result')),
		learned: textOf(value.get('learned')),
		decision: readDecision(value.get('decision'))
	};
}

/** Everything about one card, validated; null when there is no such card. */
export function readCardDetail(doc: Y.Doc, cardId: string): CardDetail | null {
	const card = cardsMap(doc).get(cardId);
	const view = readCard(cardId, card);
	if (!view || !(card instanceof Y.Map)) return null;
	const cyclesMap = card.get('cycles');
	const cycles: CycleView[] = [];
	if (cyclesMap instanceof Y.Map) {
		cyclesMap.forEach((value, key) => {
			const n = Number(key);
			if (Number.isInteger(n) && n >= 1 && n <= view.cycle) {
				const cycle = readCycle(value, n);
				if (cycle) cycles.push(cycle);
			}
		});
	}
	cycles.sort((a, b) => a.number - b.number);
	const standard = card.get('standard');
	const votes = card.get('votes');
	const labels = card.get('labels');
	const support = card.get('support');
	const supportRaisedBy = isObj(support) ? person(support.raisedBy) : null;
	return {
		...view,
		problem: textOf(card.get('problem')),
		idea: textOf(card.get('idea')),
		proposer: person(card.get('proposer')),
		owner: person(card.get('owner')),
		followUp: parseDate(card.get('followUp')),
		due: parseDate(card.get('due')),
		labels: Array.isArray(labels)
			? labels.filter((l): l is string => typeof l === 'string').slice(0, 20)
			: [],
		votes: votes instanceof Y.Map ? [...votes.keys()] : [],
		affected: entries(card.get('affected'), (v, id) => ({ id, name: str(v, SHORT_TEXT_MAX) })),
		inputs: entries(card.get('inputs'), readInput).sort(byAt),
		comments: entries(card.get('comments'), (v, id) => {
			const author = isObj(v) ? person(v.author) : null;
			return author && isObj(v) && str(v.text)
				? {
						id,
						author,
						text: str(v.text, 5000),
						mentions: Array.isArray(v.mentions)
							? v.mentions.filter((m): m is string => typeof m === 'string')
							: [],
						at: num(v.at) ?? 0
					}
				: null;
		}).sort(byAt),
		support:
			isObj(support) && supportRaisedBy && str(support.what)
				? {
						what: str(support.what, 1000),
						fromWhom: str(support.fromWhom, SHORT_TEXT_MAX),
						raisedBy: supportRaisedBy,
						raisedAt: num(support.raisedAt) ?? 0,
						resolvedAt: num(support.resolvedAt)
					}
				: null,
		endReason: str(card.get('endReason'), 2000),
		standard:
			standard instanceof Y.Map
				? {
						text: textOf(standard.get('text')),
						effectiveDate: parseDate(standard.get('effectiveDate')),
						owner: person(standard.get('owner')),
						reviewDate: parseDate(standard.get('reviewDate'))
					}
				: null,
		adoptedFrom: readAdoptedFrom(card.get('adoptedFrom')),
		cycles
	};
}

/** The current cycle's view (the card's `cycle`), or an empty one when it was never written. */
export function currentCycle(detail: CardDetail): CycleView {
	return (
		detail.cycles.find((c) => c.number === detail.cycle) ?? {
			number: detail.cycle,
			why: '',
			target: '',
			measure: null,
			dialogue: null,
			actions: [],
			doStart: null,
			doNotes: '',
			measurements: [],
			dialogueNotes: [],
			result: '',
			learned: '',
			decision: null
		}
	);
}

/** The people affected who have not given input in the current cycle. */
export function pendingInput(detail: CardDetail): PersonRef[] {
	const answered = new Set(
		detail.inputs.filter((i) => i.cycle === detail.cycle).map((i) => i.userId)
	);
	return detail.affected.filter((p) => !answered.has(p.id));
}

/**
 * The facts the stage gates look at (lifecycle.ts). A decision without reasons is no decision:
 * setCycleField refuses one, and a modified client that writes one anyway gains nothing by it.
 */
export function gateFacts(detail: CardDetail): GateFacts {
	const cycle = currentCycle(detail);
	const decision = cycle.decision?.reasons.trim() ? cycle.decision : null;
	return {
		problem: detail.problem,
		beneficiary: detail.beneficiary,
		hasGoal: cycle.measure !== null || cycle.dialogue !== null,
		result: cycle.result,
		decision: decision?.kind ?? null,
		endReason: detail.endReason,
		pendingInputs: pendingInput(detail).length,
		decidedAnyway: decision?.decidedAnyway ?? '',
		standard: {
			text: detail.standard?.text ?? '',
			hasOwner: !!detail.standard?.owner,
			reviewDate: detail.standard?.reviewDate ?? null
		}
	};
}

// ---- writers: each is one transaction, and never trusts its input's shape ----

function cardOf(doc: Y.Doc, cardId: string): Y.Map<unknown> | null {
	const card = cardsMap(doc).get(cardId);
	return card instanceof Y.Map ? card : null;
}

function childMap(parent: Y.Map<unknown>, key: string): Y.Map<unknown> {
	const existing = parent.get(key);
	if (existing instanceof Y.Map) return existing;
	const created = new Y.Map<unknown>();
	parent.set(key, created);
	return created;
}

function childText(parent: Y.Map<unknown>, key: string): Y.Text {
	const existing = parent.get(key);
	if (existing instanceof Y.Text) return existing;
	const created = new Y.Text(typeof existing === 'string' ? existing : '');
	parent.set(key, created);
	return created;
}

const CYCLE_TEXTS = ['why', 'target', 'doNotes', 'result', 'learned'] as const;
export type CycleTextField = (typeof CYCLE_TEXTS)[number];
const CYCLE_MAPS = ['actions', 'measurements', 'dialogueNotes'] as const;

/** A new, complete cycle map: all texts and lists exist from the start, so concurrent first edits merge. */
function newCycle(): Y.Map<unknown> {
	const cycle = new Y.Map<unknown>();
	for (const key of CYCLE_TEXTS) cycle.set(key, new Y.Text());
	for (const key of CYCLE_MAPS) cycle.set(key, new Y.Map());
	cycle.set('measure', null);
	cycle.set('dialogue', null);
	cycle.set('doStart', null);
	cycle.set('decision', null);
	return cycle;
}

/** The map of cycle `number`, created (complete) if missing. Call inside a transaction. */
export function cycleMap(doc: Y.Doc, cardId: string, number: number): Y.Map<unknown> | null {
	const card = cardOf(doc, cardId);
	if (!card || !Number.isInteger(number) || number < 1) return null;
	const cycles = childMap(card, 'cycles');
	const existing = cycles.get(String(number));
	if (existing instanceof Y.Map) return existing;
	const created = newCycle();
	cycles.set(String(number), created);
	return created;
}

/** Fills in the PDCA structure of a new card (called by the UI right after createCard). */
export function initCardDetail(doc: Y.Doc, cardId: string, proposer: PersonRef): void {
	const card = cardOf(doc, cardId);
	if (!card) return;
	doc.transact(() => {
		childText(card, 'problem');
		childText(card, 'idea');
		if (!person(card.get('proposer'))) card.set('proposer', proposer);
		for (const key of ['votes', 'affected', 'inputs', 'comments', 'cycles']) childMap(card, key);
		cycleMap(doc, cardId, 1);
	});
}

export type CardTextField = 'problem' | 'idea';

/** A shared text of the card (for live editing). */
export function cardDetailText(doc: Y.Doc, cardId: string, field: CardTextField): Y.Text | null {
	const card = cardOf(doc, cardId);
	return card ? childText(card, field) : null;
}

/** A shared text of one cycle (for live editing). */
export function cycleText(
	doc: Y.Doc,
	cardId: string,
	cycle: number,
	field: CycleTextField
): Y.Text | null {
	let text: Y.Text | null = null;
	doc.transact(() => {
		const map = cycleMap(doc, cardId, cycle);
		if (map) text = childText(map, field);
	});
	return text;
}

export function standardText(doc: Y.Doc, cardId: string): Y.Text | null {
	const card = cardOf(doc, cardId);
	if (!card) return null;
	let text: Y.Text | null = null;
	doc.transact(() => {
		text = childText(childMap(card, 'standard'), 'text');
	});
	return text;
}

/** Plain fields of the card, each validated; `null` clears. Returns false for bad input. */
export type CardField =
	| { key: 'owner'; value: PersonRef | null }
	| { key: 'followUp' | 'due'; value: string | null }
	| { key: 'labels'; value: string[] }
	| { key: 'endReason'; value: string };

export function setCardField(doc: Y.Doc, cardId: string, field: CardField): boolean {
	const card = cardOf(doc, cardId);
	if (!card) return false;
	switch (field.key) {
		case 'owner':
			if (field.value !== null && !person(field.value)) return false;
			card.set('owner', field.value);
			return true;
		case 'followUp':
		case 'due':
			if (field.value !== null && !parseDate(field.value)) return false;
			card.set(field.key, field.value);
			return true;
		case 'labels': {
			const labels = [...new Set(field.value.map((l) => l.trim()).filter(Boolean))];
			if (labels.length > 20 || labels.some((l) => l.length > 40)) return false;
			card.set('labels', labels);
			return true;
		}
		case 'endReason':
			card.set('endReason', field.value.slice(0, 2000));
			return true;
	}
}

export type CycleField =
	| { key: 'measure'; value: NumericMeasure | null }
	| { key: 'dialogue'; value: DialogueMeasure | null }
	| { key: 'doStart'; value: string | null }
	| { key: 'decision'; value: ActDecision | null };

export function setCycleField(
	doc: Y.Doc,
	cardId: string,
	cycle: number,
	field: CycleField
): boolean {
	if (field.key === 'doStart' && field.value !== null && !parseDate(field.value)) return false;
	if (field.key === 'measure' && field.value !== null) {
		const m = field.value;
		if (!m.name.trim() || (m.baseline !== null && !Number.isFinite(m.baseline))) return false;
		if (m.target !== null && !Number.isFinite(m.target)) return false;
	}
	if (field.key === 'dialogue' && field.value !== null && !field.value.question.trim())
		return false;
	if (field.key === 'decision' && field.value !== null && !field.value.reasons.trim()) return false;
	let ok = false;
	doc.transact(() => {
		const map = cycleMap(doc, cardId, cycle);
		if (!map) return;
		map.set(field.key, field.value);
		ok = true;
	});
	return ok;
}

type CycleListKey = (typeof CYCLE_MAPS)[number];
type CycleListValue = {
	actions: Omit<PlannedAction, 'id'>;
	measurements: Omit<Measurement, 'id'>;
	dialogueNotes: Omit<DialogueNote, 'id'>;
};

/** Adds or replaces (by id) an entry of a cycle's list; `null` removes it. */
export function putCycleEntry<K extends CycleListKey>(
	doc: Y.Doc,
	cardId: string,
	cycle: number,
	list: K,
	id: string,
	value: CycleListValue[K] | null
): boolean {
	if (value && 'date' in value && !parseDate(value.date)) return false;
	if (value && 'due' in value && value.due !== null && !parseDate(value.due)) return false;
	if (value && 'value' in value && !Number.isFinite(value.value)) return false;
	let ok = false;
	doc.transact(() => {
		const map = cycleMap(doc, cardId, cycle);
		if (!map) return;
		const entriesMap = childMap(map, list);
		if (value === null) entriesMap.delete(id);
		else entriesMap.set(id, value);
		ok = true;
	});
	return ok;
}

export function setAffected(doc: Y.Doc, cardId: string, who: PersonRef, affected: boolean): void {
	const card = cardOf(doc, cardId);
	if (!card) return;
	doc.transact(() => {
		const map = childMap(card, 'affected');
		if (affected) map.set(who.id, who.name.slice(0, SHORT_TEXT_MAX));
		else map.delete(who.id);
	});
}

/** One input per person per cycle: giving it again replaces the earlier one. */
export function giveInput(doc: Y.Doc, cardId: string, input: Input): boolean {
	const card = cardOf(doc, cardId);
	if (!card || !INPUT_KINDS.includes(input.kind) || input.cycle < 1) return false;
	doc.transact(() => {
		childMap(card, 'inputs').set(`${input.cycle}:${input.userId}`, {
			name: input.name,
			cycle: input.cycle,
			kind: input.kind,
			text: input.text.slice(0, LONG_TEXT_MAX),
			at: input.at
		});
	});
	return true;
}

/** One vote per person: the vote is a key, so voting twice changes nothing. */
export function setVote(
	doc: Y.Doc,
	cardId: string,
	userId: string,
	voted: boolean,
	at = Date.now()
): void {
	const card = cardOf(doc, cardId);
	if (!card) return;
	doc.transact(() => {
		const votes = childMap(card, 'votes');
		if (voted) votes.set(userId, at);
		else votes.delete(userId);
	});
}

/** @mentions are `@name` tokens matched against the given people (by name, case-insensitive). */
export function findMentions(text: string, people: PersonRef[]): string[] {
	const lower = text.toLowerCase();
	return people
		.filter((p) => p.name && lower.includes(`@${p.name.toLowerCase()}`))
		.map((p) => p.id);
}

export function addComment(doc: Y.Doc, cardId: string, comment: Comment): boolean {
	const card = cardOf(doc, cardId);
	const text = comment.text.trim();
	if (!card || !text || text.length > 5000) return false;
	doc.transact(() => {
		childMap(card, 'comments').set(comment.id, {
			author: comment.author,
			text,
			mentions: comment.mentions,
			at: comment.at
		});
	});
	return true;
}

export function setSupport(doc: Y.Doc, cardId: string, support: SupportRequest | null): boolean {
	const card = cardOf(doc, cardId);
	if (!card || (support && !support.what.trim())) return false;
	card.set('support', support);
	return true;
}

export function setStandardFields(
	doc: Y.Doc,
	cardId: string,
	fields: { effectiveDate?: string | null; reviewDate?: string | null; owner?: PersonRef | null }
): boolean {
	const card = cardOf(doc, cardId);
	if (!card) return false;
	for (const key of ['effectiveDate', 'reviewDate'] as const) {
		const value = fields[key];
		if (value !== undefined && value !== null && !parseDate(value)) return false;
	}
	doc.transact(() => {
		const standard = childMap(card, 'standard');
		childText(standard, 'text');
		for (const [key, value] of Object.entries(fields))
			if (value !== undefined) standard.set(key, value);
	});
	return true;
}

/** Links a card to the standard it adopts (set once, when the card is created from it). */
export function setAdoptedFrom(doc: Y.Doc, cardId: string, from: AdoptedFrom): boolean {
	const card = cardOf(doc, cardId);
	if (!card || !from.boardId || !from.cardId) return false;
	card.set('adoptedFrom', {
		boardId: from.boardId,
		cardId: from.cardId,
		teamName: from.teamName.slice(0, SHORT_TEXT_MAX),
		title: from.title.slice(0, SHORT_TEXT_MAX * 2)
	});
	return true;
}

// ---- what the server's projection needs, read cheaply ----

/** The PDCA facts the `cards` projection carries (src/lib/server/projection/facts.ts). */
export interface CardSummary {
	proposer: PersonRef | null;
	owner: PersonRef | null;
	followUp: string | null;
	due: string | null;
	/** The current cycle's decision (only one with reasons counts, as for the gates). */
	decision: Decision | null;
	labels: string[];
	affectedIds: string[];
	/** Affected people without input in the current cycle. */
	pendingInputIds: string[];
	support: {
		what: string;
		fromWhom: string;
		raisedById: string;
		open: boolean;
	} | null;
	endReason: string;
	standard: {
		text: string;
		effectiveDate: string | null;
		reviewDate: string | null;
		owner: PersonRef | null;
	} | null;
	adoptedFrom: { boardId: string; cardId: string } | null;
}

/**
 * The projection's facts of one card without reading its long texts (problem, idea, comments,
 * every cycle's notes): the server runs this for every changed card, and for every card of a
 * board when it loads. Validated like readCardDetail; null when there is no such card.
 */
export function readCardSummary(doc: Y.Doc, cardId: string): CardSummary | null {
	const card = cardOf(doc, cardId);
	if (!card) return null;
	const cycleNumber = Math.max(1, Math.floor(num(card.get('cycle')) ?? 1));
	const cycles = card.get('cycles');
	const cycle = cycles instanceof Y.Map ? cycles.get(String(cycleNumber)) : null;
	const decision = cycle instanceof Y.Map ? readDecision(cycle.get('decision')) : null;
	const affected = card.get('affected');
	const affectedIds = affected instanceof Y.Map ? [...affected.keys()].sort() : [];
	const inputs = card.get('inputs');
	const answered = new Set<string>();
	if (inputs instanceof Y.Map) {
		for (const key of inputs.keys()) {
			const [keyCycle, userId] = key.split(':');
			if (userId && Number(keyCycle) === cycleNumber) answered.add(userId);
		}
	}
	const labels = card.get('labels');
	const support = card.get('support');
	const raisedBy = isObj(support) ? person(support.raisedBy) : null;
	const standard = card.get('standard');
	const adoptedFrom = readAdoptedFrom(card.get('adoptedFrom'));
	return {
		proposer: person(card.get('proposer')),
		owner: person(card.get('owner')),
		followUp: parseDate(card.get('followUp')),
		due: parseDate(card.get('due')),
		decision: decision?.reasons.trim() ? decision.kind : null,
		labels: Array.isArray(labels)
			? labels.filter((l): l is string => typeof l === 'string').slice(0, 20)
			: [],
		affectedIds,
		pendingInputIds: affectedIds.filter((id) => !answered.has(id)),
		support:
			isObj(support) && raisedBy && str(support.what)
				? {
						what: str(support.what, 1000),
						fromWhom: str(support.fromWhom, SHORT_TEXT_MAX),
						raisedById: raisedBy.id,
						open: num(support.resolvedAt) === null
					}
				: null,
		endReason: str(card.get('endReason'), 2000),
		standard:
			standard instanceof Y.Map
				? {
						text: textOf(standard.get('text')),
						effectiveDate: parseDate(standard.get('effectiveDate')),
						reviewDate: parseDate(standard.get('reviewDate')),
						owner: person(standard.get('owner'))
					}
				: null,
		adoptedFrom: adoptedFrom ? { boardId: adoptedFrom.boardId, cardId: adoptedFrom.cardId } : null
	};
}

// ---- board-level lists ----

/** The board's labels (editable per board; the defaults until someone edits them). */
export function readLabels(doc: Y.Doc): string[] {
	const labels = settingsMap(doc).get('labels');
	return Array.isArray(labels)
		? labels.filter((l): l is string => typeof l === 'string' && l.length <= 40).slice(0, 50)
		: [...DEFAULT_LABELS];
}

export function setLabels(doc: Y.Doc, labels: string[]): void {
	settingsMap(doc).set(
		'labels',
		[...new Set(labels.map((l) => l.trim()).filter(Boolean))].slice(0, 50)
	);
}

/** The board's list of beneficiaries, plus every beneficiary a card names. */
export function readBeneficiaries(doc: Y.Doc): string[] {
	const listed = settingsMap(doc).get('beneficiaries');
	const names = new Set(
		Array.isArray(listed) ? listed.filter((b): b is string => typeof b === 'string') : []
	);
	cardsMap(doc).forEach((card) => {
		const b = card instanceof Y.Map ? card.get('beneficiary') : null;
		if (typeof b === 'string' && b.trim()) names.add(b.trim());
	});
	return [...names].sort((a, b) => a.localeCompare(b));
}

export function addBeneficiary(doc: Y.Doc, name: string): void {
	const trimmed = name.trim().slice(0, 120);
	if (!trimmed) return;
	const current = settingsMap(doc).get('beneficiaries');
	const list = Array.isArray(current)
		? current.filter((b): b is string => typeof b === 'string')
		: [];
	if (!list.includes(trimmed)) settingsMap(doc).set('beneficiaries', [...list, trimmed]);
}

// ---- moves through the lifecycle ----

export type LifecycleMove = { ok: true; cycle: number } | { ok: false; missing: Missing[] };

/**
 * Moves a card the way the lifecycle allows: the stage gates are checked (a manager may pass them
 * with `override`, a reason that is recorded), and an adapt decision (Act → Plan) starts the next
 * cycle in the same transaction. The server checks the same rules again (lifecycle.ts).
 */
export function moveThroughLifecycle(doc: Y.Doc, cardId: string, move: MoveInput): LifecycleMove {
	const detail = readCardDetail(doc, cardId);
	if (!detail) return { ok: false, missing: [] };
	const missing = missingForMove(gateFacts(detail), detail.stage, move.stage);
	if (missing.length > 0 && !move.override?.trim()) return { ok: false, missing };
	const cycle = cycleAfterMove(detail.cycle, detail.stage, move.stage);
	doc.transact(() => {
		moveCard(doc, cardId, move);
		if (cycle !== detail.cycle) {
			cardsMap(doc).get(cardId)?.set('cycle', cycle);
			cycleMap(doc, cardId, cycle);
		}
	});
	return { ok: true, cycle };
}
