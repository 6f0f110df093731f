/**
 * History lane (issue 13) through the real server: a manager imports a Trello file — preview with
 * every unreadable row, then a progress bar — into a new board; the board's history restores a
 * version (the import undone) and restores again (the undo undone); axe finds nothing serious on
 * the new screens. Screenshots at 1920×1080 and on a phone go to /work/screens/history/.
 */
import path from 'node:path';
import { devices, expect, test, type Browser, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './helpers/axe';
import { closeAll, ORG_ADMIN, setUpTeamWithBoard, signIn } from './helpers/accounts';

const SCREENS = '/work/screens/history';
const TRELLO = path.resolve('tests/fixtures/import/trello-board.json');

async function phone(browser: Browser, baseURL: string | undefined): Promise<Page> {
	const context = await browser.newContext({
		...devices['iPhone 13'],
		baseURL,
		locale: 'en-GB'
	});
	const page = await context.newPage();
	await signIn(page, ORG_ADMIN);
	return page;
}

test('a manager imports a Trello board with a preview and a progress bar, then restores versions', async ({
	browser,
	baseURL
}) => {
	const { team, admin } = await setUpTeamWithBoard(browser);
	const page = admin.page;
	await page.setViewportSize({ width: 1920, height: 1080 });

	await page.goto(`/teams/${team.id}`);
	await page.getByRole('link', { name: 'Import cards (Trello, Planka, CSV)' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		`Import cards into ${team.name}`
	);
	await page.getByLabel('File type').selectOption('trello');
	await page.getByLabel('File', { exact: true }).setInputFiles(TRELLO);
	await page.getByRole('button', { name: 'Preview' }).click();

	const preview = page.getByRole('region', { name: 'What will be created' });
	await expect(preview).toContainText('2 cards will be created on the new board');
	const rows = preview.getByRole('table').getByRole('row');
	await expect(rows.filter({ hasText: 'Kortare väntan på frukost' })).toContainText('Do');
	await expect(rows.filter({ hasText: 'Nya nyckelrutiner' })).toContainText('Standard');
	await expect(
		preview.getByRole('heading', { name: 'Rows that cannot be read (2)' })
	).toBeVisible();
	await expect(preview).toContainText('Row 4: has no title');
	await expect(preview).toContainText('Row 5: has markup (HTML) in its name');
	await expectNoSeriousA11yViolations(page, 'import preview');
	await page.screenshot({ path: `${SCREENS}/import-preview-1920.png`, fullPage: true });

	await page.getByRole('button', { name: 'Import 2 cards' }).click();
	const progress = page.getByRole('progressbar', { name: 'Import progress' });
	await expect(progress).toBeVisible();
	await expect(page.getByText('Imported 2 cards.')).toBeVisible();
	await expect(progress).toHaveAttribute('value', '2');
	await expect(page.locator('[aria-live="polite"]', { hasText: '2 of 2 cards' })).toBeVisible();
	await page.screenshot({ path: `${SCREENS}/import-done-1920.png`, fullPage: true });

	await page.getByRole('link', { name: 'Open the board “Hemtjänsten förbättrar”' }).click();
	await expect(page.locator('[data-connection="saved"]')).toBeVisible();
	const doColumn = page.getByRole('list', { name: 'Cards in Do' });
	await expect(
		doColumn.getByRole('listitem').filter({ hasText: 'Kortare väntan på frukost' })
	).toBeVisible();

	// History: the import left a "before" point; name the board as it is now.
	await page.getByRole('link', { name: 'History, trash and export' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'History of Hemtjänsten förbättrar'
	);
	await page.getByLabel('Name of the version').fill('Efter importen');
	await page.getByRole('button', { name: 'Save version' }).click();
	await expect(page.getByText('Version “Efter importen” saved.')).toBeVisible();
	const versions = page.getByRole('table', { name: 'Versions' });
	await expect(
		versions.getByRole('row').filter({ hasText: 'Named: Efter importen' })
	).toContainText('2');

	// Preview is read-only and shows the cards of that point.
	await versions
		.getByRole('row')
		.filter({ hasText: 'Named: Efter importen' })
		.getByRole('link', { name: /^Preview the version of/ })
		.click();
	await expect(page.getByRole('region', { name: /read only/ })).toContainText(
		'Kortare väntan på frukost'
	);
	await expectNoSeriousA11yViolations(page, 'board history');
	await page.screenshot({ path: `${SCREENS}/history-1920.png`, fullPage: true });

	// Restore the point before the import: the board is empty again, as one change.
	await versions
		.getByRole('row')
		.filter({ hasText: 'Before a restore or import' })
		.first()
		.getByRole('button', { name: /^Restore the version of/ })
		.click();
	await expect(
		page.getByText(/The board now looks like the version of .* \(2 cards changed\)/)
	).toBeVisible();
	await page.getByRole('link', { name: 'Back to the board' }).click();
	await expect(page.locator('[data-connection="saved"]')).toBeVisible();
	await expect(page.getByRole('list', { name: 'Cards in Do' }).getByRole('listitem')).toHaveCount(
		0
	);

	// And restore again: the named version brings the cards back.
	await page.getByRole('link', { name: 'History, trash and export' }).click();
	await page
		.getByRole('table', { name: 'Versions' })
		.getByRole('row')
		.filter({ hasText: 'Named: Efter importen' })
		.getByRole('button', { name: /^Restore the version of/ })
		.click();
	await expect(page.getByText(/The board now looks like the version of/)).toBeVisible();
	await page.getByRole('link', { name: 'Back to the board' }).click();
	await expect(
		page
			.getByRole('list', { name: 'Cards in Do' })
			.getByRole('listitem')
			.filter({ hasText: 'Kortare väntan på frukost' })
	).toBeVisible();

	// The same screens on a phone.
	const small = await phone(browser, baseURL);
	await small.goto(page.url().replace(/\/boards\/([^/]+).*/, '/boards/$1/history'));
	await expect(small.getByRole('heading', { level: 1 })).toHaveText(
		'History of Hemtjänsten förbättrar'
	);
	await expectNoSeriousA11yViolations(small, 'board history on a phone');
	await small.screenshot({ path: `${SCREENS}/history-phone.png`, fullPage: true });
	await small.goto(`/teams/${team.id}/import`);
	await small.getByLabel('File', { exact: true }).setInputFiles(TRELLO);
	await small.getByRole('button', { name: 'Preview' }).click();
	await expect(small.getByRole('region', { name: 'What will be created' })).toBeVisible();
	await expectNoSeriousA11yViolations(small, 'import preview on a phone');
	await small.screenshot({ path: `${SCREENS}/import-preview-phone.png`, fullPage: true });
	await small.context().close();
	await closeAll([admin]);
});

test('a member sees the history but may not restore; a version of another board is refused', async ({
	browser,
	baseURL
}) => {
	const { board, admin, people } = await setUpTeamWithBoard(browser, { roles: ['member'] });
	const [member] = people;
	await member.page.goto(`${board.url}/history`);
	await expect(member.page.getByRole('heading', { level: 1 })).toHaveText(
		`History of ${board.name}`
	);
	await expect(member.page.getByRole('button', { name: /^Restore/ })).toHaveCount(0);
	await expectNoSeriousA11yViolations(member.page, 'history as a member');
	// A forged restore from a member, and one of a version that is not this board's: 403.
	for (const page of [member.page, admin.page]) {
		const response = await page.request.post(`${board.url}/history?/restore`, {
			form: { id: '999999999' },
			headers: { origin: new URL(baseURL ?? 'http://127.0.0.1').origin }
		});
		expect(response.status()).toBe(403);
	}
	await closeAll([admin, member]);
});
