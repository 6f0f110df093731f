import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { toCsv } from './flow-exports';

describe('CSV for Excel', () => {
	const header = ['title', 'beneficiary', 'cycle_hours'];
	const rows = [
		['Kortare väntan; på frukost', 'Äldre i hemtjänsten', 5.5],
		['=HYPERLINK("x")', null, null]
	];

	it('starts with a BOM and uses ";" and a decimal comma in Swedish', () => {
		const csv = toCsv(header, rows, 'sv');
		expect(csv.startsWith('\uFEFFtitle;beneficiary;cycle_hours\r\n')).toBe(true);
		expect(csv).toContain('"Kortare väntan; på frukost";Äldre i hemtjänsten;5,5\r\n');
	});

	it('uses "," and a decimal point in English', () => {
		const csv = toCsv(header, rows, 'en');
		expect(csv).toContain('Kortare väntan; på frukost,Äldre i hemtjänsten,5.5\r\n');
	});

	it('escapes cells that a spreadsheet would run as formulas, and reads back', () => {
		const csv = toCsv(header, rows, 'sv');
		const parsed = Papa.parse<string[]>(csv.slice(1), { delimiter: ';' });
		expect(parsed.data[2]![0]).toBe(`'=HYPERLINK("x")`);
		expect(parsed.data[1]).toEqual(['Kortare väntan; på frukost', 'Äldre i hemtjänsten', '5,5']);
	});
});
