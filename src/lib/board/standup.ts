/**
 * The stand-up's shared state in the board document: the timer and the parking lot. They live in
 * the document (not in a table) because everyone in the meeting must see them change live — the
 * TV, the laptops, the phones — and the document already carries live, offline-safe state to
 * every replica. Only the stand-up's record (when it ran, its summary) goes to Postgres.
 *
 *   doc.getMap('standup')
 *     timer       { durationMs, startedAt | null, remainingMs }   one key: start/pause is atomic
 *     parkingLot  Y.Map<topicId, { text, by, at }>            keyed: two additions never collide
 *
 * Reading validates like document.ts: malformed values fall back to safe ones. Framework-free.
 */
import * as Y from 'yjs';

export const STANDUP_KEY = 'standup';
export const DEFAULT_TIMER_MS = 10 * 60_000;
export const MAX_TIMER_MS = 60 * 60_000;
export const TOPIC_MAX_LENGTH = 200;
const MAX_TOPICS = 100;

export interface TimerState {
	durationMs: number;
	/** When it was last started (ms since epoch, the starter's clock); null while paused/stopped. */
	startedAt: number | null;
	/** What was left when it was started or paused. */
	remainingMs: number;
}

export interface ParkingTopic {
	id: string;
	text: string;
	by: string;
	at: number;
}

export function standupMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap<unknown>(STANDUP_KEY);
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const clampMs = (ms: number) => Math.max(0, Math.min(MAX_TIMER_MS, Math.round(ms)));

export function readTimer(doc: Y.Doc): TimerState {
	const raw = standupMap(doc).get('timer');
	const value = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
	const durationMs = finite(value.durationMs) ? clampMs(value.durationMs) : DEFAULT_TIMER_MS;
	return {
		durationMs: durationMs || DEFAULT_TIMER_MS,
		startedAt: finite(value.startedAt) ? value.startedAt : null,
		remainingMs: finite(value.remainingMs) ? clampMs(value.remainingMs) : durationMs
	};
}

/** Milliseconds left at `now` (never below zero). */
export function timeLeft(timer: TimerState, now: number): number {
	if (timer.startedAt === null) return timer.remainingMs;
	return Math.max(0, timer.remainingMs - Math.max(0, now - timer.startedAt));
}

function writeTimer(doc: Y.Doc, timer: TimerState): void {
	standupMap(doc).set('timer', { ...timer });
}

export function startTimer(doc: Y.Doc, now: number): void {
	const timer = readTimer(doc);
	if (timer.startedAt !== null) return;
	const left = timer.remainingMs > 0 ? timer.remainingMs : timer.durationMs;
	writeTimer(doc, { ...timer, startedAt: now, remainingMs: left });
}

export function pauseTimer(doc: Y.Doc, now: number): void {
	const timer = readTimer(doc);
	if (timer.startedAt === null) return;
	writeTimer(doc, { ...timer, startedAt: null, remainingMs: timeLeft(timer, now) });
}

/** Sets the length (whole minutes, 1–60) and resets the timer to it, stopped. */
export function setTimerMinutes(doc: Y.Doc, minutes: number): boolean {
	if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60) return false;
	const durationMs = minutes * 60_000;
	writeTimer(doc, { durationMs, startedAt: null, remainingMs: durationMs });
	return true;
}

export function resetTimer(doc: Y.Doc): void {
	const timer = readTimer(doc);
	writeTimer(doc, { durationMs: timer.durationMs, startedAt: null, remainingMs: timer.durationMs });
}

function parkingLotMap(doc: Y.Doc): Y.Map<unknown> {
	const root = standupMap(doc);
	const existing = root.get('parkingLot');
	if (existing instanceof Y.Map) return existing;
	const created = new Y.Map<unknown>();
	root.set('parkingLot', created);
	return created;
}

export function readParkingLot(doc: Y.Doc): ParkingTopic[] {
	const map = standupMap(doc).get('parkingLot');
	if (!(map instanceof Y.Map)) return [];
	const topics: ParkingTopic[] = [];
	map.forEach((value, id) => {
		if (typeof value !== 'object' || value === null) return;
		const { text, by, at } = value as Record<string, unknown>;
		if (typeof text !== 'string' || !text.trim()) return;
		topics.push({
			id,
			text: text.slice(0, TOPIC_MAX_LENGTH),
			by: typeof by === 'string' ? by.slice(0, 100) : '',
			at: finite(at) ? at : 0
		});
	});
	return topics.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id)).slice(0, MAX_TOPICS);
}

export function addParkingTopic(
	doc: Y.Doc,
	topic: { id: string; text: string; by: string; at: number }
): boolean {
	const text = topic.text.trim().slice(0, TOPIC_MAX_LENGTH);
	if (!text || readParkingLot(doc).length >= MAX_TOPICS) return false;
	doc.transact(() => parkingLotMap(doc).set(topic.id, { text, by: topic.by, at: topic.at }));
	return true;
}

export function removeParkingTopic(doc: Y.Doc, id: string): void {
	const map = standupMap(doc).get('parkingLot');
	if (map instanceof Y.Map) map.delete(id);
}

export function clearParkingLot(doc: Y.Doc): void {
	const map = standupMap(doc).get('parkingLot');
	if (map instanceof Y.Map) doc.transact(() => map.clear());
}

/**
 * The stand-up that is running, as the screen that started it announced it: every other screen
 * (the TV, laptops) sees it change and reloads its data, so "changed since" and the start/end
 * buttons follow the meeting without a refresh. The record itself is in Postgres.
 */
export interface MeetingSignal {
	id: string;
	startedAt: string;
}

export function readMeeting(doc: Y.Doc): MeetingSignal | null {
	const raw = standupMap(doc).get('meeting');
	if (typeof raw !== 'object' || raw === null) return null;
	const { id, startedAt } = raw as Record<string, unknown>;
	if (typeof id !== 'string' || id.length > 64 || typeof startedAt !== 'string') return null;
	return { id, startedAt: startedAt.slice(0, 40) };
}

export function setMeeting(doc: Y.Doc, meeting: MeetingSignal | null): void {
	standupMap(doc).set('meeting', meeting ? { id: meeting.id, startedAt: meeting.startedAt } : null);
}
