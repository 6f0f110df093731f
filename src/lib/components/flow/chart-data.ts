/** Small data shaping for the flow charts, outside components (plain Maps, no reactivity needed). */
import type { AgedWipCard } from '$lib/analytics/metrics';

/**
 * Cards of equal stage and age would be drawn on one spot: each further card moves one dot width
 * aside, alternating right and left of the band's middle (0, +1, −1, +2, −2 …).
 */
export function spreadDots<T extends AgedWipCard>(cards: readonly T[]): (T & { jitter: number })[] {
	const seen = new Map<string, number>();
	return cards.map((card) => {
		const key = `${card.stage}|${card.ageDays}`;
		const n = seen.get(key) ?? 0;
		seen.set(key, n + 1);
		const jitter = n === 0 ? 0 : (n % 2 === 1 ? 1 : -1) * Math.ceil(n / 2);
		return { ...card, jitter };
	});
}

/** The query string of the same report over another period, filters kept. */
export function periodQuery(
	from: string,
	to: string,
	filters: { beneficiary: string; label: string }
): string {
	const params = new URLSearchParams({ from, to });
	if (filters.beneficiary) params.set('beneficiary', filters.beneficiary);
	if (filters.label) params.set('label', filters.label);
	return `?${params.toString()}`;
}
