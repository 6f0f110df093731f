/**
 * The live board through the real server, with two or more people in their own browser
 * contexts: moves by drag, keyboard and menu show on the other screen; edits made offline sync
 * when the connection returns and both replicas converge; a viewer follows along but cannot
 * change anything; hard WIP limits refuse; undo covers one's own changes; axe finds nothing
 * serious on the board.
 */
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './helpers/axe';
import { closeAll, ORG_ADMIN, setUpTeamWithBoard, signInNewContext } from './helpers/accounts';

/** Opens the board and waits until it is synced and cards can be dragged (after hydration). */
async function openBoard(page: Page, url: string) {
	await page.goto(url);
	await expect(page.locator('[data-connection="saved"]')).toBeVisible();
}

/** The usual start: an admin and a member of one team, both with its board open (a and b). */
async function adminAndMemberOnBoard(browser: Browser) {
	const { board, admin, people } = await setUpTeamWithBoard(browser, { roles: ['member'] });
	const [member] = people;
	const a = admin.page;
	const b = member.page;
	await openBoard(a, board.url);
	await openBoard(b, board.url);
	return { board, admin, member, people, a, b };
}

function column(page: Page, stage: string): Locator {
	return page.getByRole('list', { name: `Cards in ${stage}` });
}

function card(page: Page, stage: string, title: string): Locator {
	return column(page, stage).getByRole('listitem').filter({ hasText: title });
}

/** Adds a proposal; with a problem statement (unless `problem` is ''), so it may enter Plan. */
async function addCard(
	page: Page,
	title: string,
	beneficiary: string,
	problem = `Today: ${title.toLowerCase()} is missing.`
) {
	const toggle = page.getByRole('button', { name: 'New proposal' });
	if (await toggle.isVisible()) await toggle.click();
	await page.getByLabel('What could we improve?').fill(title);
	await page.getByLabel('Who is it for?').fill(beneficiary);
	await page.getByLabel('What is the problem today?').fill(problem);
	await page.getByRole('button', { name: 'Add card' }).click();
	await expect(card(page, 'Proposed', title)).toBeVisible();
}

async function moveWithMenu(page: Page, stage: string, title: string, target: string) {
	await card(page, stage, title)
		.getByRole('button', { name: /^Move to…/ })
		.click();
	await page.getByRole('menuitem', { name: target }).click();
}

test('a card dragged on one screen moves on the other, and the menu and keyboard move cards too', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const { admin, member, people, a, b } = await adminAndMemberOnBoard(browser);

	await addCard(a, 'Shorter handovers', 'Staff on the evening shift');
	await addCard(a, 'Key box for visits', 'Home care staff');
	await expect(card(b, 'Proposed', 'Shorter handovers')).toBeVisible();
	await expect(card(b, 'Proposed', 'Key box for visits')).toBeVisible();
	// Presence: each sees the other by name.
	await expect(a.getByRole('region', { name: 'On the board now' })).toContainText(member.name);
	await expect(b.getByRole('region', { name: 'On the board now' })).toContainText(admin.name);

	await test.step('drag with the mouse', async () => {
		const handle = card(a, 'Proposed', 'Shorter handovers').getByRole('button', {
			name: 'Drag or move card: Shorter handovers'
		});
		await a.getByRole('button', { name: 'Cancel' }).click();
		// Cards join drag-and-drop when they come near the screen (visibility-watcher.ts).
		await handle.scrollIntoViewIfNeeded();
		await expect(handle).toHaveAttribute('aria-roledescription', 'draggable');
		const from = (await handle.boundingBox())!;
		const to = (await column(a, 'Plan').boundingBox())!;
		await a.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
		await a.mouse.down();
		await a.mouse.move(from.x + 40, from.y + 40, { steps: 5 });
		await a.mouse.move(to.x + to.width / 2, to.y + 30, { steps: 20 });
		await a.mouse.up();
		await expect(card(a, 'Plan', 'Shorter handovers')).toBeVisible();
		await expect(card(b, 'Plan', 'Shorter handovers')).toBeVisible();
		await expect(card(b, 'Proposed', 'Shorter handovers')).toHaveCount(0);
	});

	await test.step('move with the keyboard, announced', async () => {
		const handle = card(b, 'Proposed', 'Key box for visits').getByRole('button', {
			name: 'Drag or move card: Key box for visits'
		});
		await expect(handle).toHaveAttribute('aria-roledescription', 'draggable');
		await handle.focus();
		await b.keyboard.press('Space');
		await expect(handle).toHaveAttribute('aria-pressed', 'true');
		await b.keyboard.press('ArrowRight');
		await expect(card(b, 'Plan', 'Key box for visits')).toBeVisible();
		await b.keyboard.press('Space');
		await expect(b.locator('[id^="dnd-kit-announcement"]')).toContainText(
			'“Key box for visits” moved to Plan'
		);
		await expect(card(a, 'Plan', 'Key box for visits')).toBeVisible();
		await expect(b.locator('[data-connection="saved"]')).toBeVisible();
	});

	await test.step('move with the Move-to menu, by keyboard', async () => {
		const menuButton = card(a, 'Plan', 'Key box for visits').getByRole('button', {
			name: /^Move to…/
		});
		await menuButton.focus();
		await a.keyboard.press('ArrowDown');
		const menu = a.getByRole('menu', { name: 'Move Key box for visits' });
		await expect(menu).toBeVisible();
		await expect(menu.getByRole('menuitem').first()).toBeFocused();
		await menu.getByRole('menuitem', { name: 'To Proposed' }).press('Enter');
		await expect(menu).toBeHidden();
		await expect(card(a, 'Proposed', 'Key box for visits')).toBeVisible();
		// Focus follows the card to its new place.
		await expect(
			card(a, 'Proposed', 'Key box for visits').getByRole('button', { name: /^Move to…/ })
		).toBeFocused();
		await expect(card(b, 'Proposed', 'Key box for visits')).toBeVisible();
	});

	await closeAll([admin, ...people]);
});

test('edits made offline are kept, sync when the connection returns, and both screens converge', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const { board, admin, people, a, b } = await adminAndMemberOnBoard(browser);
	await addCard(a, 'Plain-language letters', 'Citizens applying for help');
	await expect(card(b, 'Proposed', 'Plain-language letters')).toBeVisible();

	await admin.context.setOffline(true);
	const status = a.locator('[data-connection]');
	await expect(status).toHaveAttribute('data-connection', 'offline');

	// Offline: a new card and a move, counted as unsaved changes.
	await addCard(a, 'Made while offline', 'Residents');
	await moveWithMenu(a, 'Proposed', 'Plain-language letters', 'To Plan');
	await expect(card(a, 'Plan', 'Plain-language letters')).toBeVisible();
	await expect(status).toContainText('Offline');
	await expect(status).toContainText('2 unsaved changes');
	await expect(card(b, 'Proposed', 'Made while offline')).toHaveCount(0);

	// Meanwhile the other person changes the board too.
	await addCard(b, 'Made online meanwhile', 'Relatives');

	await admin.context.setOffline(false);
	await expect(status).toHaveAttribute('data-connection', 'saved', { timeout: 20_000 });
	await expect(status).toHaveAttribute('data-unsaved', '0');
	for (const page of [a, b]) {
		await expect(card(page, 'Proposed', 'Made while offline')).toBeVisible();
		await expect(card(page, 'Proposed', 'Made online meanwhile')).toBeVisible();
		await expect(card(page, 'Plan', 'Plain-language letters')).toBeVisible();
	}
	const titles = async (page: Page) =>
		(await page.locator('li[data-card-id] h3').allTextContents()).sort();
	expect(await titles(a)).toEqual(await titles(b));

	// The offline edits reached the server: a new browser context (no local copy) loads them.
	const fresh = await signInNewContext(browser, { ...ORG_ADMIN });
	await openBoard(fresh.page, board.url);
	await expect(card(fresh.page, 'Proposed', 'Made while offline')).toBeVisible();
	await expect(card(fresh.page, 'Plan', 'Plain-language letters')).toBeVisible();

	await closeAll([admin, ...people, fresh]);
});

test('a viewer sees the board change live but gets no way to change it', async ({ browser }) => {
	test.setTimeout(120_000);
	const { board, admin, people } = await setUpTeamWithBoard(browser, { roles: ['viewer'] });
	const [viewer] = people;
	const a = admin.page;
	const v = viewer!.page;
	await openBoard(a, board.url);
	await openBoard(v, board.url);

	await expect(v.getByText('You can view this board.')).toBeVisible();
	await addCard(a, 'Visible to viewers', 'Everyone');
	await expect(card(v, 'Proposed', 'Visible to viewers')).toBeVisible();
	await moveWithMenu(a, 'Proposed', 'Visible to viewers', 'To Plan');
	await expect(card(v, 'Plan', 'Visible to viewers')).toBeVisible();

	await expect(v.getByRole('button', { name: 'New proposal' })).toHaveCount(0);
	await expect(v.getByRole('button', { name: /^Move to…/ })).toHaveCount(0);
	await expect(v.getByRole('button', { name: /^Drag or move card/ })).toHaveCount(0);
	await expect(v.locator('[aria-roledescription="draggable"]')).toHaveCount(0);
	await expect(v.getByRole('button', { name: 'Undo' })).toHaveCount(0);
	await expect(v.getByRole('button', { name: /^WIP limit for/ })).toHaveCount(0);

	// Opening a card shows it, without fields to edit.
	await card(v, 'Plan', 'Visible to viewers')
		.getByRole('button', { name: 'Visible to viewers', exact: true })
		.click();
	const dialog = v.getByRole('dialog', { name: 'Card' });
	await expect(dialog).toBeVisible();
	await expect(dialog.getByRole('heading', { name: 'Visible to viewers' })).toBeVisible();
	await expect(dialog.getByRole('textbox')).toHaveCount(0);
	await expectNoSeriousA11yViolations(v, 'board card dialog (viewer)');
	await dialog.getByRole('button', { name: 'Close' }).click();
	await expect(dialog).toBeHidden();

	// Ctrl+Z does nothing for a viewer, and the admin's board is unchanged.
	await v.keyboard.press('Control+z');
	await expect(card(a, 'Plan', 'Visible to viewers')).toBeVisible();
	await expectNoSeriousA11yViolations(v, 'board (viewer)');

	await closeAll([admin, ...people]);
});

test('title and description are edited live together, with presence on the card', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const { admin, people, a, b } = await adminAndMemberOnBoard(browser);
	await addCard(a, 'Handover notes', 'Night staff');
	await expect(card(b, 'Proposed', 'Handover notes')).toBeVisible();

	await card(a, 'Proposed', 'Handover notes')
		.getByRole('button', { name: 'Handover notes', exact: true })
		.click();
	const editorA = a.getByRole('dialog', { name: 'Card' });
	await expect(editorA).toBeVisible();
	// The other person sees who has the card open.
	await expect(card(b, 'Proposed', 'Handover notes')).toContainText(`${admin.name} editing`);

	await card(b, 'Proposed', 'Handover notes')
		.getByRole('button', { name: 'Handover notes', exact: true })
		.click();
	const editorB = b.getByRole('dialog', { name: 'Card' });
	await expect(editorB.getByText(`Also editing: ${admin.name}`)).toBeVisible();

	const descriptionA = editorA.getByLabel('Description');
	const descriptionB = editorB.getByLabel('Description');
	await descriptionA.click();
	await a.keyboard.type('Start at 07:00.');
	await expect(descriptionB).toHaveValue('Start at 07:00.');
	// B types at the end while A types at the start: both survive.
	await descriptionB.click();
	await b.keyboard.press('End');
	await b.keyboard.type(' Use the checklist.');
	await descriptionA.press('Home');
	await a.keyboard.type('Nights: ');
	const merged = 'Nights: Start at 07:00. Use the checklist.';
	await expect(descriptionA).toHaveValue(merged);
	await expect(descriptionB).toHaveValue(merged);

	await editorA.getByLabel('Title').fill('Handover notes, nights');
	await expect(editorB.getByLabel('Title')).toHaveValue('Handover notes, nights');
	await expectNoSeriousA11yViolations(b, 'card editor');
	await editorB.getByRole('button', { name: 'Close' }).click();
	await expect(card(b, 'Proposed', 'Handover notes, nights')).toBeVisible();

	await closeAll([admin, ...people]);
});

test('a hard WIP limit refuses a move into a full column; undo and redo cover one’s own changes', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const { admin, people, a, b } = await adminAndMemberOnBoard(browser);
	await addCard(a, 'First in Plan', 'Team');
	await addCard(a, 'Second for Plan', 'Team');
	await moveWithMenu(a, 'Proposed', 'First in Plan', 'To Plan');

	// A manager (the team admin) sets a hard limit of 1 on Plan; members get no such control.
	await expect(b.getByRole('button', { name: 'WIP limit for Plan' })).toHaveCount(0);
	await a.getByRole('button', { name: 'WIP limit for Plan' }).click();
	const dialog = a.getByRole('dialog', { name: 'WIP limit for Plan' });
	await dialog.getByLabel('Maximum number of cards').fill('1');
	await dialog.getByLabel('Hard limit: refuse moves into a full column').check();
	await dialog.getByRole('button', { name: 'Save limit' }).click();
	await expect(dialog).toBeHidden();
	const planColumn = b.getByRole('region', { name: 'Plan' });
	await expect(planColumn).toContainText('1/1');
	await expect(planColumn).toContainText('Full');

	await moveWithMenu(b, 'Proposed', 'Second for Plan', 'To Plan (full)');
	await expect(b.getByRole('alert')).toContainText(
		'Plan is full: its hard WIP limit is 1. Move a card out of Plan first.'
	);
	await expect(card(b, 'Proposed', 'Second for Plan')).toBeVisible();
	await expect(card(b, 'Plan', 'Second for Plan')).toHaveCount(0);
	await b.getByRole('button', { name: 'Dismiss message' }).click();

	// Undo/redo: the member's own move, by keyboard shortcut and by button.
	for (const page of [a, b]) await page.getByText('Parked and declined').click();
	await moveWithMenu(b, 'Proposed', 'Second for Plan', 'To Parked');
	await expect(card(a, 'Parked', 'Second for Plan')).toBeVisible();
	await b.keyboard.press('Control+z');
	await expect(card(b, 'Proposed', 'Second for Plan')).toBeVisible();
	await expect(card(a, 'Proposed', 'Second for Plan')).toBeVisible();
	await b.getByRole('button', { name: 'Redo' }).click();
	await expect(card(a, 'Parked', 'Second for Plan')).toBeVisible();
	// Undo never touches another person's change: the admin's move to Plan stays.
	await b.keyboard.press('Control+z');
	await b.keyboard.press('Control+z');
	await expect(card(b, 'Plan', 'First in Plan')).toBeVisible();
	await expect(b.getByRole('button', { name: 'Undo' })).toBeDisabled();

	await expectNoSeriousA11yViolations(a, 'board (admin)');
	await closeAll([admin, ...people]);
});

test('a move that misses what the stage needs is refused with the reason; a manager may pass it with a recorded reason', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const { board, admin, people, a, b } = await adminAndMemberOnBoard(browser);
	await addCard(b, 'Idea without a problem', 'Residents', '');

	// A member: refused, with what is missing, and the card stays.
	await moveWithMenu(b, 'Proposed', 'Idea without a problem', 'To Plan');
	await expect(b.getByRole('alert')).toContainText(
		'“Idea without a problem” cannot move to Plan yet. It needs a description of the problem today.'
	);
	await expect(card(b, 'Proposed', 'Idea without a problem')).toBeVisible();
	await b.getByRole('button', { name: 'Dismiss message' }).click();

	// Writing the problem in the card lets it move.
	await card(b, 'Proposed', 'Idea without a problem')
		.getByRole('button', { name: 'Idea without a problem', exact: true })
		.click();
	const editor = b.getByRole('dialog', { name: 'Card' });
	await editor.getByLabel('What is the problem today?').fill('Residents wait at the door.');
	await editor.getByRole('button', { name: 'Close' }).click();
	await moveWithMenu(b, 'Proposed', 'Idea without a problem', 'To Plan');
	await expect(card(a, 'Plan', 'Idea without a problem')).toBeVisible();

	// Do needs a goal. A manager may move it anyway, saying why; the move reaches everyone.
	await moveWithMenu(a, 'Plan', 'Idea without a problem', 'To Do');
	const override = a.getByRole('dialog', { name: 'Move anyway?' });
	await expect(override).toContainText('does not yet have a goal');
	await override.getByRole('button', { name: 'Move anyway' }).click();
	await expect(override.getByText('Write why the card moves anyway.')).toBeVisible();
	await override
		.getByLabel('Reason')
		.fill('Trial agreed at the stand-up; the goal follows on Friday.');
	await override.getByRole('button', { name: 'Move anyway' }).click();
	await expect(override).toBeHidden();
	await expect(card(a, 'Do', 'Idea without a problem')).toBeVisible();
	await expect(card(b, 'Do', 'Idea without a problem')).toBeVisible();
	await expect(a.locator('[data-connection="saved"]')).toBeVisible();
	// The server kept it (no undo arrives): a new context loads it in Do.
	const fresh = await signInNewContext(browser, { ...ORG_ADMIN });
	await openBoard(fresh.page, board.url);
	await expect(card(fresh.page, 'Do', 'Idea without a problem')).toBeVisible();

	await closeAll([admin, ...people, fresh]);
});

test('a member demoted to viewer becomes read-only at once; removed, they are told and the local copy is gone', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const { team, board, admin, people } = await setUpTeamWithBoard(browser, { roles: ['member'] });
	const [member] = people;
	const m = member!.page;
	await openBoard(m, board.url);
	await addCard(m, 'Written before the change', 'Team');
	await expect(m.locator('[data-connection="saved"]')).toBeVisible();
	const localCopies = () =>
		m.evaluate(async () =>
			(await indexedDB.databases())
				.map((info) => info.name ?? '')
				.filter((name) => name.startsWith('tillit:'))
		);
	expect(await localCopies()).toEqual([expect.stringContaining(board.id)]);

	const a = admin.page;
	await a.goto(`/teams/${team.id}/members`);
	await a.getByLabel(`Role for ${member!.name}`).selectOption('viewer');
	await a.getByRole('button', { name: new RegExp(`^Save role\\W+${member!.name}$`) }).click();

	await expect(m.getByText('You can view this board.')).toBeVisible();
	await expect(m.getByRole('button', { name: 'New proposal' })).toHaveCount(0);
	await expect(m.getByRole('button', { name: /^Move to…/ })).toHaveCount(0);
	await expect(card(m, 'Proposed', 'Written before the change')).toBeVisible();

	await a.getByRole('button', { name: new RegExp(`^Remove\\W+${member!.name}$`) }).click();
	await expect(m.getByRole('alert')).toContainText('You no longer have access to this board.');
	await expect(m.locator('[data-connection]')).toHaveAttribute('data-connection', 'offline');
	await expect.poll(localCopies).toEqual([]);

	await closeAll([admin, ...people]);
});
