/**
 * The fresh install, once per run (project `setup`, which every other spec depends on): the first
 * person opens Tillit, is sent to /setup, creates the organisation and becomes its org admin.
 * After that, /setup is gone for good.
 */
import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './helpers/axe';
import { ORG_ADMIN } from './helpers/accounts';

test('the first person on a fresh install creates the organisation and becomes its admin', async ({
	page
}) => {
	await page.goto('/');
	await expect(page).toHaveURL(/\/setup$/);
	await expect(
		page.getByRole('heading', { level: 1, name: 'Get started with Tillit' })
	).toBeVisible();
	await expectNoSeriousA11yViolations(page, 'setup');

	// A weak password is refused with the reason tied to the field; nothing is created.
	await page.getByLabel('Name of the organisation').fill(ORG_ADMIN.organisation);
	await page.getByLabel('Name', { exact: true }).fill(ORG_ADMIN.name);
	await page.getByLabel('Email address').fill(ORG_ADMIN.email);
	await page.getByLabel('Password').fill('short');
	await page.getByRole('button', { name: 'Create the organisation' }).click();
	const password = page.getByLabel('Password');
	await expect(password).toHaveAttribute('aria-invalid', 'true');
	await expect(password).toHaveAccessibleDescription(/at least 10 characters/);
	await expect(password).toBeFocused();
	await expectNoSeriousA11yViolations(page, 'setup with errors');

	await password.fill(ORG_ADMIN.password);
	await page.getByRole('button', { name: 'Create the organisation' }).click();
	await expect(page).toHaveURL(/\/admin$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Administration' })).toBeVisible();
	await expect(page.getByText(ORG_ADMIN.organisation)).toBeVisible();

	// Once the organisation exists, /setup refuses: its page redirects and its form is refused.
	await page.goto('/setup');
	await expect(page).not.toHaveURL(/\/setup/);
	const origin = new URL(page.url()).origin;
	// Asked the way SvelteKit's enhanced forms ask, the action answers with its outcome as JSON.
	const second = await page.request.post('/setup', {
		headers: { origin, accept: 'application/json' },
		form: {
			organisationName: 'A second organisation',
			name: 'Eve',
			email: 'eve@e2e.example',
			password: 'eve’s long passphrase'
		},
		maxRedirects: 0
	});
	expect(await second.json()).toMatchObject({ type: 'failure', status: 409 });
});
