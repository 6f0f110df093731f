/**
 * The foundation's journey (the organisation itself is created by organisation.setup.ts): the
 * org admin creates a team and an empty board and invites two people; a member joins in another
 * browser and sees the board; a viewer cannot reach admin pages; the member cannot open another
 * team's board; the language switch works. Axe checks every page visited.
 */
import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './helpers/axe';
import {
	closeAll,
	createBoard,
	createTeam,
	joinWithInvite,
	newPerson,
	ORG_ADMIN,
	signInNewContext,
	uniqueSuffix
} from './helpers/accounts';

/** Opens `path` and answers the HTTP status the server sent for it. */
async function statusOf(page: Page, path: string): Promise<number | undefined> {
	const response = await page.goto(path);
	return response?.status();
}

test('an admin builds a team with a board, invites people, and access follows their roles', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const suffix = uniqueSuffix();
	const teamName = `Hemtjänsten Norr ${suffix}`;
	const boardName = 'Förbättringar';

	const admin = await signInNewContext(browser, { ...ORG_ADMIN });
	const a = admin.page;
	let teamId = '';
	let boardId = '';

	await test.step('the admin creates a team and an empty board', async () => {
		await a.goto('/');
		await expectNoSeriousA11yViolations(a, 'dashboard (admin)');
		await a.goto('/admin');
		await expectNoSeriousA11yViolations(a, 'admin');
		teamId = await createTeam(a, teamName);
		await expectNoSeriousA11yViolations(a, 'team page');
		boardId = await createBoard(a, teamId, boardName);
		await expect(a.getByRole('heading', { level: 1, name: boardName })).toBeVisible();
		await expectNoSeriousA11yViolations(a, 'board page');
	});

	let memberLink = '';
	let viewerLink = '';
	await test.step('the admin makes invite links for a member and a viewer', async () => {
		await a.goto(`/teams/${teamId}/members`);
		await expect(
			a.getByRole('heading', { level: 1, name: `Members of ${teamName}` })
		).toBeVisible();
		await expectNoSeriousA11yViolations(a, 'members');

		await a.getByLabel('Role', { exact: true }).selectOption('member');
		await a.getByRole('button', { name: 'Create invitation link' }).click();
		const link = a.getByLabel('Invitation link', { exact: true });
		await expect(link).toHaveValue(/\/invite\/[a-z2-7]{32}$/);
		memberLink = await link.inputValue();
		await expect(a.getByText('It is shown only this once')).toBeVisible();
		await expectNoSeriousA11yViolations(a, 'members with a new link');

		await a.getByLabel('Role', { exact: true }).selectOption('viewer');
		await a.getByRole('button', { name: 'Create invitation link' }).click();
		await expect(link).not.toHaveValue(memberLink);
		viewerLink = await link.inputValue();

		const openInvites = a.getByRole('region', { name: 'Open invitations' }).getByRole('listitem');
		await expect(openInvites).toHaveCount(2);
	});

	const memberPerson = newPerson('Maja');
	const member =
		await test.step('a member joins in another browser and sees the board', async () => {
			const context = await browser.newContext();
			const page = await context.newPage();
			await page.goto(memberLink);
			await expect(
				page.getByText(`You are invited to the team ${teamName} with the role Member.`)
			).toBeVisible();
			await expectNoSeriousA11yViolations(page, 'invite (signed out)');

			await page.getByLabel('Name', { exact: true }).fill(memberPerson.name);
			await page.getByLabel('Email address').fill(memberPerson.email);
			await page.getByLabel('Password', { exact: true }).fill(memberPerson.password);
			await page.getByRole('button', { name: 'Create account and join' }).click();
			await expect(page.getByRole('heading', { level: 1, name: teamName })).toBeVisible();
			await expect(page.getByText(`Welcome to ${teamName}!`)).toBeVisible();
			await expect(page.getByText('Your role: Member')).toBeVisible();
			// Members neither create boards nor manage people.
			await expect(page.getByRole('button', { name: 'Create the board' })).toHaveCount(0);
			await expect(page.getByRole('link', { name: 'Members and invitations' })).toHaveCount(0);
			await expectNoSeriousA11yViolations(page, 'team page (member)');

			await page.getByRole('link', { name: boardName }).click();
			await expect(page).toHaveURL(new RegExp(`/boards/${boardId}$`));
			await expect(page.getByRole('heading', { level: 1, name: boardName })).toBeVisible();

			await page.goto('/');
			const teamCard = page.getByRole('listitem').filter({ hasText: teamName });
			await expect(teamCard.getByRole('link', { name: boardName })).toBeVisible();
			await expectNoSeriousA11yViolations(page, 'dashboard (member)');

			// Opening the used link again: already in the team, nothing changes, and it says so.
			await page.goto(memberLink);
			await expect(
				page.getByText(`You are already in ${teamName}. Nothing has been changed.`)
			).toBeVisible();
			await expectNoSeriousA11yViolations(page, 'invite (already a member)');
			return { ...memberPerson, context, page };
		});

	await test.step('the member cannot open another team’s board or pages by direct URL', async () => {
		const otherTeamId = await createTeam(a, `Skolan Väst ${suffix}`);
		const otherBoardId = await createBoard(a, otherTeamId, 'Hemlig tavla');
		const page = member.page;
		expect(await statusOf(page, `/boards/${otherBoardId}`)).toBe(404);
		await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
		await expect(page.getByText('Hemlig tavla')).toHaveCount(0);
		await expectNoSeriousA11yViolations(page, '404 page');
		expect(await statusOf(page, `/teams/${otherTeamId}`)).toBe(404);
		expect(await statusOf(page, `/teams/${otherTeamId}/members`)).toBe(404);
		// Their own team's admin page and the organisation's: forbidden.
		expect(await statusOf(page, `/teams/${teamId}/members`)).toBe(403);
		expect(await statusOf(page, '/admin')).toBe(403);
		// The navigation lists only their own team.
		const nav = page.getByRole('navigation', { name: 'Main menu' });
		await expect(nav.getByRole('link', { name: teamName })).toBeVisible();
		await expect(nav.getByRole('link', { name: `Skolan Väst ${suffix}` })).toHaveCount(0);
	});

	const viewer = await test.step('a viewer joins and cannot reach admin pages', async () => {
		const viewer = await joinWithInvite(browser, viewerLink, newPerson('Vera'));
		const page = viewer.page;
		await expect(page.getByText('Your role: Viewer')).toBeVisible();
		await expect(page.getByRole('button', { name: 'Create the board' })).toHaveCount(0);
		expect(await statusOf(page, `/teams/${teamId}/members`)).toBe(403);
		await expect(page.getByRole('heading', { level: 1, name: 'No access' })).toBeVisible();
		await expectNoSeriousA11yViolations(page, '403 page');
		expect(await statusOf(page, '/admin')).toBe(403);
		// A viewer still sees the team's board.
		expect(await statusOf(page, `/boards/${boardId}`)).toBe(200);
		await expect(page.getByRole('heading', { level: 1, name: boardName })).toBeVisible();
		return viewer;
	});

	await test.step('the language switch changes the whole page, and back', async () => {
		const page = member.page;
		await page.goto('/');
		await expect(page.getByRole('heading', { level: 1, name: 'Your teams' })).toBeVisible();
		await page.getByRole('button', { name: 'Svenska' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Dina team' })).toBeVisible();
		await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
		await expect(page.getByRole('button', { name: 'Logga ut' })).toBeVisible();
		await expectNoSeriousA11yViolations(page, 'dashboard in Swedish');

		// The choice follows the account: a new sign-in elsewhere is Swedish too.
		const elsewhere = await signInNewContext(browser, memberPerson);
		await expect(
			elsewhere.page.getByRole('heading', { level: 1, name: 'Dina team' })
		).toBeVisible();
		await elsewhere.context.close();

		await page.getByRole('button', { name: 'English' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Your teams' })).toBeVisible();
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	});

	await closeAll([admin, member, viewer]);
});
