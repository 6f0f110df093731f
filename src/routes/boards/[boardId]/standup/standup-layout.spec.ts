import { describe, expect, it } from 'vitest';
import { layoutColumns } from './standup-layout';

// The columns' area of a 1920×1080 TV once the header and column headings are off.
const WIDTH = 1920;
const HEIGHT = 880;

describe('layoutColumns', () => {
	it('keeps a small board roomy, one sub-column each', () => {
		expect(layoutColumns([3, 2, 2, 1, 1, 4], WIDTH, HEIGHT)).toEqual({
			density: 'roomy',
			spans: [1, 1, 1, 1, 1, 1],
			perSubColumn: 5
		});
	});

	it('fits 40 cards at 32 px titles (compact at most) when no column holds half of them', () => {
		for (const counts of [
			[7, 7, 7, 7, 6, 6],
			[12, 9, 7, 5, 4, 3],
			[15, 8, 6, 5, 4, 2]
		]) {
			const layout = layoutColumns(counts, WIDTH, HEIGHT);
			expect(layout.density).not.toBe('dense');
			counts.forEach((n, i) =>
				expect(layout.spans[i]! * layout.perSubColumn).toBeGreaterThanOrEqual(n)
			);
		}
	});

	it('still fits 40 cards piled into one column, by going dense', () => {
		const counts = [25, 8, 4, 2, 1, 0];
		const layout = layoutColumns(counts, WIDTH, HEIGHT);
		counts.forEach((n, i) =>
			expect(layout.spans[i]! * layout.perSubColumn).toBeGreaterThanOrEqual(n)
		);
	});

	it('goes dense for a full board, still without overflowing a column', () => {
		const counts = [60, 30, 20, 10, 10, 20];
		const layout = layoutColumns(counts, WIDTH, HEIGHT);
		expect(layout.density).toBe('dense');
		counts.forEach((n, i) =>
			expect(layout.spans[i]! * layout.perSubColumn).toBeGreaterThanOrEqual(n)
		);
	});
});
