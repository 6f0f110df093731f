import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv } from './csv';
import { IMPORT_LIMITS } from './plan';
import { readPlanka } from './planka';
import { readTrello } from './trello';

const fixture = (name: string) =>
	new Uint8Array(readFileSync(path.resolve('tests/fixtures/import', name)));
const text = (value: string) => new TextEncoder().encode(value);

describe('Trello', () => {
	it('reads open cards into stages by list name, with stage dates from the actions', () => {
		const reading = readTrello(fixture('trello-board.json'));
		if (!reading.ok) throw new Error(reading.code);
		const { plan } = reading;
		expect(plan.boardName).toBe('Hemtjänsten förbättrar');
		expect(plan.cards.map((c) => [c.title, c.stage])).toEqual([
			['Kortare väntan på frukost', 'do'],
			['Nya nyckelrutiner', 'standard']
		]);
		const first = plan.cards[0]!;
		expect(first.problem).toBe('Boende väntar 40 minuter på frukost.');
		expect(first.labels).toEqual(['kvalitet']);
		expect(first.createdAt).toBe(Date.parse('2026-02-01T09:30:00.000Z'));
		expect(first.stageDates).toEqual([
			{ stage: 'proposed', at: Date.parse('2026-02-01T09:30:00.000Z') },
			{ stage: 'do', at: Date.parse('2026-03-10T08:00:00.000Z') }
		]);
		// Rows it cannot read are listed (no title; markup in the name); the archived one is left out.
		expect(plan.problems).toEqual([
			{ row: 4, code: 'no_title', value: '' },
			{ row: 5, code: 'html', value: '<script>alert(1)</script> Bättre schema' }
		]);
		expect(plan.problemCount).toBe(2);
	});

	it('names the problem with a broken file', () => {
		expect(readTrello(fixture('trello-truncated.part'))).toMatchObject({
			ok: false,
			code: 'malformed'
		});
		expect(readTrello(fixture('not-a-board.json'))).toMatchObject({
			ok: false,
			code: 'wrong_format'
		});
		expect(readTrello(new Uint8Array())).toMatchObject({ ok: false, code: 'empty' });
		expect(readTrello(new Uint8Array([0xff, 0xfe, 0x7b]))).toMatchObject({
			ok: false,
			code: 'encoding'
		});
		const huge = new Uint8Array(IMPORT_LIMITS.maxBytes + 1).fill(0x20);
		expect(readTrello(huge)).toMatchObject({ ok: false, code: 'too_large' });
	});

	it('drops prototype-polluting keys and never pollutes Object.prototype', () => {
		const reading = readTrello(fixture('trello-prototype.json'));
		if (!reading.ok) throw new Error(reading.code);
		expect(reading.plan.cards.map((c) => c.title)).toEqual(['Vanligt kort']);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
	});
});

describe('Planka', () => {
	it('reads the API shape: lists by name, moveCard actions as stage dates', () => {
		const reading = readPlanka(fixture('planka-board.json'));
		if (!reading.ok) throw new Error(reading.code);
		const { plan } = reading;
		expect(plan.boardName).toBe('Skolans förbättringar');
		expect(plan.cards.map((c) => [c.title, c.stage])).toEqual([
			['Lugnare matsal', 'plan'],
			['Läxhjälp på tisdagar', 'check']
		]);
		expect(plan.cards[0]!.problem).toBe('Eleverna hinner inte äta.');
		expect(plan.cards[0]!.createdAt).toBe(Date.parse('2026-05-01T07:00:00.000Z'));
		expect(plan.cards[0]!.stageDates).toEqual([
			{ stage: 'plan', at: Date.parse('2026-05-10T07:00:00.000Z') }
		]);
		expect(plan.problems).toEqual([{ row: 3, code: 'unknown_stage', value: '9999' }]);
	});

	it('refuses a Trello file or garbage', () => {
		expect(readPlanka(fixture('trello-board.json'))).toMatchObject({
			ok: false,
			code: 'wrong_format'
		});
		expect(
			readPlanka(text('{"item": {"name": "x"}, "included": {"lists": [], "cards": []}}'))
		).toMatchObject({ ok: false, code: 'no_cards' });
		expect(readPlanka(text('[1, 2'))).toMatchObject({ ok: false, code: 'malformed' });
	});
});

describe('CSV', () => {
	it('reads one card per row and lists every row it cannot read', () => {
		const reading = readCsv(fixture('cards.csv'));
		if (!reading.ok) throw new Error(reading.code);
		const { plan } = reading;
		expect(plan.cards).toHaveLength(2);
		expect(plan.cards[0]).toMatchObject({
			title: 'Kortare köer i receptionen',
			problem: 'Patienter väntar länge',
			beneficiary: 'Patienter',
			stage: 'do',
			createdAt: Date.parse('2026-01-05'),
			stageDates: [
				{ stage: 'plan', at: Date.parse('2026-01-20') },
				{ stage: 'do', at: Date.parse('2026-02-01') }
			]
		});
		expect(plan.cards[1]).toMatchObject({ title: 'Tydligare skyltar, "nu"', stage: 'proposed' });
		expect(plan.problems).toEqual([
			{ row: 4, code: 'no_title', value: ', saknar titel, , plan, , , ' },
			{ row: 5, code: 'unknown_stage', value: 'flyttad' },
			{ row: 6, code: 'bad_date', value: 'igår' }
		]);
	});

	it('reads Swedish headers separated by semicolons', () => {
		const reading = readCsv(fixture('cards-semicolon-sv.csv'));
		if (!reading.ok) throw new Error(reading.code);
		expect(reading.plan.cards).toEqual([
			expect.objectContaining({
				title: 'Bättre rutiner',
				problem: 'Rutinerna är oklara',
				beneficiary: 'Personalen',
				stage: 'plan'
			})
		]);
	});

	it('refuses a wrong encoding, 100,000 columns, a missing title column and broken quotes', () => {
		expect(readCsv(fixture('cards-latin1.csv'))).toMatchObject({ ok: false, code: 'encoding' });
		const wide = `${Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',')}\nx`;
		expect(readCsv(text(wide))).toMatchObject({
			ok: false,
			code: 'too_many_columns',
			detail: '100000'
		});
		expect(readCsv(text('name_of_thing,stage\nx,plan'))).toMatchObject({
			ok: false,
			code: 'wrong_format'
		});
		expect(readCsv(text('title,stage\n"unclosed,plan\n'))).toMatchObject({
			ok: false,
			code: 'malformed'
		});
	});

	it('stops at the card limit and says how many rows were left', () => {
		const rows = Array.from({ length: IMPORT_LIMITS.maxCards + 3 }, (_, i) => `Kort ${i}`);
		const reading = readCsv(text(`title\n${rows.join('\n')}`));
		if (!reading.ok) throw new Error(reading.code);
		expect(reading.plan.cards).toHaveLength(IMPORT_LIMITS.maxCards);
		expect(reading.plan.problemCount).toBe(3);
		expect(reading.plan.problems.every((p) => p.code === 'too_many_cards')).toBe(true);
	});
});
