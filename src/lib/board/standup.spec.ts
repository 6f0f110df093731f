import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addParkingTopic,
	DEFAULT_TIMER_MS,
	pauseTimer,
	readParkingLot,
	readTimer,
	removeParkingTopic,
	setTimerMinutes,
	standupMap,
	startTimer,
	timeLeft
} from './standup';

describe('the stand-up timer', () => {
	it('defaults to ten minutes, stopped', () => {
		const timer = readTimer(new Y.Doc());
		expect(timer).toEqual({
			durationMs: DEFAULT_TIMER_MS,
			startedAt: null,
			remainingMs: DEFAULT_TIMER_MS
		});
	});

	it('counts down while running, keeps what is left when paused, never below zero', () => {
		const doc = new Y.Doc();
		startTimer(doc, 1_000);
		expect(timeLeft(readTimer(doc), 61_000)).toBe(DEFAULT_TIMER_MS - 60_000);
		pauseTimer(doc, 61_000);
		expect(timeLeft(readTimer(doc), 999_999)).toBe(DEFAULT_TIMER_MS - 60_000);
		startTimer(doc, 100_000);
		expect(timeLeft(readTimer(doc), 100_000 + DEFAULT_TIMER_MS)).toBe(0);
	});

	it('is adjustable in whole minutes from 1 to 60', () => {
		const doc = new Y.Doc();
		expect(setTimerMinutes(doc, 15)).toBe(true);
		expect(readTimer(doc).durationMs).toBe(15 * 60_000);
		expect(setTimerMinutes(doc, 0)).toBe(false);
		expect(setTimerMinutes(doc, 1.5)).toBe(false);
		expect(readTimer(doc).durationMs).toBe(15 * 60_000);
	});

	it('reads a malformed timer as the default', () => {
		const doc = new Y.Doc();
		standupMap(doc).set('timer', { durationMs: 'lång', startedAt: Number.NaN });
		expect(readTimer(doc).startedAt).toBeNull();
		expect(readTimer(doc).durationMs).toBe(DEFAULT_TIMER_MS);
	});
});

describe('the parking lot', () => {
	it('keeps topics from two replicas added at once, in the order they were raised', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		addParkingTopic(a, { id: 't0', text: 'Först', by: 'A', at: 1 });
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		addParkingTopic(a, { id: 't1', text: 'Schemat', by: 'A', at: 3 });
		addParkingTopic(b, { id: 't2', text: 'Nycklarna', by: 'B', at: 2 });
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		expect(readParkingLot(a).map((t) => t.text)).toEqual(['Först', 'Nycklarna', 'Schemat']);
		expect(readParkingLot(b)).toEqual(readParkingLot(a));
		removeParkingTopic(a, 't0');
		expect(readParkingLot(a)).toHaveLength(2);
	});

	it('refuses an empty topic', () => {
		const doc = new Y.Doc();
		expect(addParkingTopic(doc, { id: 't', text: '  ', by: '', at: 0 })).toBe(false);
		expect(readParkingLot(doc)).toEqual([]);
	});
});
