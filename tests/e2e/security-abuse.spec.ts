/**
 * Issue 8, points 6 and 8, through the real server and browser: the owner's known browser (its
 * device cookie) signs in with the right password while a stranger's guesses have locked the
 * account for new devices; and a name with a control character gets a clear message on the form.
 */
import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './helpers/axe';
import { closeAll, ORG_ADMIN, setUpTeamWithBoard, signInNewContext } from './helpers/accounts';

test('the right password from a known browser works while guesses have locked the account', async ({
	browser,
	baseURL
}) => {
	const { admin, people } = await setUpTeamWithBoard(browser, { roles: ['member'] });
	const [member] = people;
	// Joining gave this browser a device cookie (only its hash is stored).
	const cookies = await member.context.cookies(baseURL);
	expect(cookies.find((c) => c.name === 'tillit_device')).toMatchObject({ httpOnly: true });
	await member.page.getByRole('button', { name: 'Sign out' }).click();
	await expect(member.page).toHaveURL(/\/signin\?signedOut=1$/);

	// A stranger, from the same address, guesses the member's password until locked out…
	const stranger = await browser.newContext();
	const page = await stranger.newPage();
	await page.goto('/signin');
	const attempt = async (password: string) => {
		await page.getByLabel('Email address').fill(member.email);
		await page.getByLabel('Password', { exact: true }).fill(password);
		const answered = page.waitForResponse(
			(r) => new URL(r.url()).pathname === '/signin' && r.request().method() === 'POST'
		);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await answered;
	};
	for (let n = 1; n <= 7; n++) await attempt(`wrong guess ${n}`);
	await expect(page.getByRole('alert')).toContainText('Too many failed attempts');
	// …and even the right password does not help a new device now.
	await attempt(member.password);
	await expect(page.getByRole('alert')).toContainText('Too many failed attempts');

	// The member's own browser signs in as usual.
	const own = member.page;
	await own.getByLabel('Email address').fill(member.email);
	await own.getByLabel('Password', { exact: true }).fill(member.password);
	await own.getByRole('button', { name: 'Sign in' }).click();
	await expect(own).not.toHaveURL(/\/signin/);
	await expect(own.getByRole('button', { name: 'Sign out' })).toBeVisible();
	await closeAll([admin, member, { context: stranger }]);
});

test('a team name with a control character gets a clear message and no team is made', async ({
	browser
}) => {
	const admin = await signInNewContext(browser, { ...ORG_ADMIN });
	const page = admin.page;
	await page.goto('/admin');
	const name = page.getByLabel('Name of the team');
	// A browser cannot type BEL; a paste or a crafted request can carry it.
	await name.evaluate((input: HTMLInputElement) => {
		input.value = 'Kök\u0007 och städ';
	});
	await page.getByRole('button', { name: 'Create the team' }).click();
	await expect(name).toHaveAttribute('aria-invalid', 'true');
	await expect(name).toHaveAccessibleDescription(/Remove the invisible control characters/);
	await expect(page).toHaveURL(/\/admin/);
	await expectNoSeriousA11yViolations(page, 'team name refused');

	// A bidi override in a name: refused with its own message.
	await name.fill('Team \u202Eeciffo');
	await page.getByRole('button', { name: 'Create the team' }).click();
	await expect(name).toHaveAccessibleDescription(/text-direction characters/);
	await expect(page.getByRole('link', { name: /eciffo/ })).toHaveCount(0);
	await closeAll([admin]);
});

test('the password change checks the current password under the same throttle', async ({
	browser
}) => {
	const { admin, people } = await setUpTeamWithBoard(browser, { roles: ['member'] });
	const [member] = people;
	const page = member.page;
	await page.goto('/account');
	const current = page.getByLabel('Current password');
	const change = async (currentPassword: string, newPassword: string) => {
		await current.fill(currentPassword);
		await page.getByLabel('New password').fill(newPassword);
		const answered = page.waitForResponse(
			(r) => new URL(r.url()).pathname === '/account' && r.request().method() === 'POST'
		);
		await page.getByRole('button', { name: 'Change password' }).click();
		await answered;
	};
	await change('not my password', 'a brand new passphrase');
	await expect(current).toHaveAccessibleDescription(/The current password is not correct/);
	await change(member.password, 'a brand new passphrase');
	await expect(page.getByText('Your password has been changed.')).toBeVisible();
	await expectNoSeriousA11yViolations(page, 'password changed');

	// Guessing the current password on someone's open session: locked after the free failures.
	for (let n = 1; n <= 6; n++) await change(`guess ${n}`, 'another new passphrase');
	await change('guess 7', 'another new passphrase');
	await expect(
		page.getByRole('alert').filter({ hasText: 'Too many failed attempts' })
	).toBeVisible();
	await closeAll([admin, member]);
});
