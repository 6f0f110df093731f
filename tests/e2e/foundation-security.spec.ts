/**
 * Bad input at the foundation's doors, through the real server: cross-site form posts, forged
 * session cookies, over-long fields, revoked invites, sign-in throttling.
 */
import { expect, test } from '@playwright/test';
import {
	createInviteLink,
	newPerson,
	ORG_ADMIN,
	setUpTeamWithBoard,
	signInNewContext,
	closeAll,
	uniqueSuffix
} from './helpers/accounts';
import { expectNoSeriousA11yViolations } from './helpers/axe';

test('a form post from another site is refused and changes nothing', async ({ page, baseURL }) => {
	const response = await page.request.post('/signin', {
		headers: { origin: 'https://evil.example' },
		form: { email: ORG_ADMIN.email, password: ORG_ADMIN.password },
		maxRedirects: 0
	});
	expect(response.status()).toBe(403);
	const cookies = await page.context().cookies(baseURL);
	expect(cookies.find((c) => c.name === 'tillit_session')).toBeUndefined();
});

test('a forged session cookie signs nobody in and is cleared', async ({
	page,
	context,
	baseURL
}) => {
	await context.addCookies([{ name: 'tillit_session', value: 'a'.repeat(32), url: baseURL ?? '' }]);
	await page.goto('/');
	await expect(page).toHaveURL(/\/signin$/);
	const cookies = await context.cookies(baseURL);
	expect(cookies.find((c) => c.name === 'tillit_session')).toBeUndefined();
});

test('over-long fields and wrong passwords get clear messages; repeated failures are throttled', async ({
	page
}) => {
	await page.goto('/signin');
	const email = page.getByLabel('Email address');
	// The browser's maxlength would stop typing, so the over-long value is set directly.
	await email.evaluate((input: HTMLInputElement) => {
		input.removeAttribute('maxlength');
		input.value = `${'x'.repeat(300)}@e2e.example`;
	});
	await page.getByLabel('Password', { exact: true }).fill('whatever password');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(email).toHaveAttribute('aria-invalid', 'true');
	await expect(email).toHaveAccessibleDescription(/At most 254 characters/);

	const stranger = newPerson('Nobody');
	// Each attempt waits for the server's answer, so no two attempts overlap.
	const attempt = async (password: string) => {
		await page.getByLabel('Email address').fill(stranger.email);
		await page.getByLabel('Password', { exact: true }).fill(password);
		const answered = page.waitForResponse(
			(r) => new URL(r.url()).pathname === '/signin' && r.request().method() === 'POST'
		);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await answered;
	};
	// Five free failures, and the sixth that sets the first lock, all say only "wrong".
	for (let n = 1; n <= 6; n++) {
		await attempt(`wrong password ${n}`);
		await expect(page.getByRole('alert')).toHaveText('Wrong email address or password.');
	}
	await attempt('wrong password 7');
	await expect(page.getByRole('alert')).toContainText('Too many failed attempts');
	// A plain (no-JavaScript) form post gets the HTTP status too.
	const origin = new URL(page.url()).origin;
	const plain = await page.request.post('/signin', {
		headers: { origin, accept: 'text/html' },
		form: { email: stranger.email, password: 'wrong password 8' }
	});
	expect(plain.status()).toBe(429);
	await expectNoSeriousA11yViolations(page, 'sign-in throttled');
});

test('a revoked invite link says so and lets nobody in', async ({ browser }) => {
	const { team, admin } = await setUpTeamWithBoard(browser);
	const link = await createInviteLink(admin.page, team.id, 'member');
	await admin.page.getByRole('button', { name: /^Revoke/ }).click();
	await expect(admin.page.getByText('The invitation has been revoked.')).toBeVisible();

	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(link);
	await expect(page.getByRole('alert')).toHaveText('The invitation link has been revoked.');
	await expect(page.getByRole('button', { name: 'Create account and join' })).toHaveCount(0);
	await expectNoSeriousA11yViolations(page, 'revoked invite');

	// Unknown team and board ids: 404 for everyone, even the org admin.
	const unknown = await signInNewContext(browser, { ...ORG_ADMIN });
	expect((await unknown.page.goto('/boards/brd_doesnotexist'))?.status()).toBe(404);
	expect((await unknown.page.goto('/teams/team_doesnotexist'))?.status()).toBe(404);
	await closeAll([admin, unknown, { context }]);
});

test('signing out ends the session for good', async ({ browser, baseURL }) => {
	const { admin, people } = await setUpTeamWithBoard(browser, { roles: ['member'] });
	const [member] = people;
	const before = await member.context.cookies(baseURL);
	const token = before.find((c) => c.name === 'tillit_session');
	expect(token).toBeDefined();
	await member.page.getByRole('button', { name: 'Sign out' }).click();
	await expect(member.page).toHaveURL(/\/signin\?signedOut=1$/);

	// The old token, replayed from elsewhere, is worth nothing.
	const replay = await browser.newContext();
	await replay.addCookies([{ name: 'tillit_session', value: token!.value, url: baseURL ?? '' }]);
	const page = await replay.newPage();
	await page.goto('/');
	await expect(page).toHaveURL(/\/signin$/);
	await closeAll([admin, member, { context: replay }]);
});

test('open sign-up lets people with the chosen email domain join as members, and nobody else', async ({
	browser
}) => {
	const { team, admin } = await setUpTeamWithBoard(browser);
	const domain = `open-${uniqueSuffix()}.example`;
	await admin.page.goto('/admin');
	await admin.page.getByLabel('Email domain').fill(domain);
	await admin.page.getByLabel('Team for new accounts').selectOption(team.id);
	await admin.page.getByRole('button', { name: 'Save' }).click();
	await expect(admin.page.getByText(`Open sign-up now applies to ${domain}.`)).toBeVisible();

	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto('/signup');
	await expectNoSeriousA11yViolations(page, 'sign-up');
	const person = newPerson('Olle');
	await page.getByLabel('Name', { exact: true }).fill(person.name);
	await page.getByLabel('Email address').fill(`olle@not-${domain}`);
	await page.getByLabel('Password', { exact: true }).fill(person.password);
	await page.getByRole('button', { name: 'Create account' }).click();
	const email = page.getByLabel('Email address');
	await expect(email).toHaveAttribute('aria-invalid', 'true');
	await expect(email).toHaveAccessibleDescription(/cannot create an account yourself/);

	await email.fill(`olle@${domain}`);
	await page.getByLabel('Password', { exact: true }).fill(person.password);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByRole('heading', { level: 1, name: team.name })).toBeVisible();
	await expect(page.getByText('Your role: Member')).toBeVisible();

	// Closing it again: the form says so and the page offers invitations instead.
	await admin.page.getByLabel('Email domain').fill('');
	await admin.page.getByRole('button', { name: 'Save' }).click();
	await expect(admin.page.getByText('Open sign-up is closed.')).toBeVisible();
	await closeAll([admin, { context }]);
});
