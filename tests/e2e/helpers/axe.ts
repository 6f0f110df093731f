/**
 * Accessibility check for e2e specs: runs axe (WCAG 2.0/2.1 A and AA rules) on the page as it is
 * now and fails on any serious or critical violation, listing each with the elements it found.
 *
 *   await expectNoSeriousA11yViolations(page);           // after the page has settled
 *   await expectNoSeriousA11yViolations(page, 'board');  // a label for the failure message
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export async function expectNoSeriousA11yViolations(page: Page, label?: string): Promise<void> {
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	const serious = results.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map(
			(v) =>
				`${v.id} (${v.impact}): ${v.help} — ${v.nodes
					.map((n) => n.target.join(' '))
					.slice(0, 5)
					.join(', ')}`
		);
	expect(serious, `axe on ${label ?? page.url()}`).toEqual([]);
}
