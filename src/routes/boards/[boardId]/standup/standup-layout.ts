/**
 * How dense the stand-up columns must be to show the whole flow on one screen without any
 * scrolling (never a horizontal scroll): the roomiest tile size at which every column fits, a
 * long column wrapping into more sub-columns (and so a wider share of the screen). Tiles have
 * fixed heights per density so this arithmetic is exact. Titles stay at 32 px or more for the
 * first two densities (readable from 4 m); only boards too full for them go to `dense`.
 */
export const DENSITIES = ['roomy', 'compact', 'dense'] as const;
export type Density = (typeof DENSITIES)[number];

/** Tile height + gap in px, per density (kept in sync with StandupTile.svelte's CSS). */
export const TILE_PITCH: Record<Density, number> = { roomy: 172, compact: 120, dense: 68 };
/** The narrowest sub-column each density still reads well in. */
const MIN_SUBCOLUMN_PX: Record<Density, number> = { roomy: 300, compact: 210, dense: 170 };

export interface ColumnLayout {
	density: Density;
	/** Sub-columns per column, in the columns' order. */
	spans: number[];
	/** Tiles per sub-column. */
	perSubColumn: number;
}

export function layoutColumns(
	counts: readonly number[],
	width: number,
	height: number
): ColumnLayout {
	for (const density of DENSITIES) {
		const perSubColumn = Math.max(1, Math.floor(height / TILE_PITCH[density]));
		const spans = counts.map((n) => Math.max(1, Math.ceil(n / perSubColumn)));
		const total = spans.reduce((a, b) => a + b, 0);
		if (width / total >= MIN_SUBCOLUMN_PX[density] || density === 'dense') {
			return { density, spans, perSubColumn };
		}
	}
	// Unreachable: the loop returns at 'dense'.
	return { density: 'dense', spans: counts.map(() => 1), perSubColumn: 1 };
}
