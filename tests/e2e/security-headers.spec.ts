/**
 * Issue 8, points 7 and 9, through the real production server: every page type carries the
 * Content-Security-Policy (a fresh nonce each time) and the usual security headers; the pages
 * work under it (the board's live sync and drag included) with no CSP violation reported; and a
 * state-changing API request from another origin, or with no Origin, is refused.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './helpers/axe';
import { closeAll, setUpTeamWithBoard } from './helpers/accounts';

/** Records every CSP violation the page reports (both the DOM event and the console message). */
async function watchCspViolations(context: BrowserContext): Promise<string[]> {
	const violations: string[] = [];
	await context.exposeFunction('__reportCspViolation', (text: string) => violations.push(text));
	await context.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (event) => {
			const report = (window as unknown as { __reportCspViolation: (t: string) => void })
				.__reportCspViolation;
			void report(`${event.violatedDirective} blocked ${event.blockedURI} (${event.sourceFile})`);
		});
	});
	context.on('console', (message) => {
		if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
	});
	return violations;
}

function expectSecurityHeaders(headers: Record<string, string>, label: string) {
	expect(headers['x-content-type-options'], label).toBe('nosniff');
	expect(headers['x-frame-options'], label).toBe('DENY');
	expect(headers['referrer-policy'], label).toBe('same-origin');
	expect(headers['cross-origin-opener-policy'], label).toBe('same-origin');
	expect(headers['cross-origin-resource-policy'], label).toBe('same-origin');
	expect(headers['permissions-policy'], label).toContain('camera=()');
}

/** The page policy's directives, by name. */
function directives(policy: string): Map<string, string[]> {
	return new Map(
		policy
			.split(';')
			.map((part) => part.trim().split(/\s+/))
			.flatMap(([name, ...sources]): [string, string[]][] => (name ? [[name, sources]] : []))
	);
}

async function expectPagePolicy(page: Page, path: string, baseURL: string) {
	const response = await page.goto(path);
	expect(response, path).not.toBeNull();
	const headers = response!.headers();
	expectSecurityHeaders(headers, path);
	const policy = directives(headers['content-security-policy'] ?? '');
	const script = policy.get('script-src') ?? [];
	expect(script, path).toContain("'self'");
	expect(
		script.some((s) => s.startsWith("'nonce-")),
		`${path}: a script nonce`
	).toBe(true);
	expect(script, path).not.toContain("'unsafe-inline'");
	expect(script, path).not.toContain("'unsafe-eval'");
	expect(policy.get('default-src'), path).toEqual(["'self'"]);
	expect(policy.get('object-src'), path).toEqual(["'none'"]);
	expect(policy.get('frame-ancestors'), path).toEqual(["'none'"]);
	expect(policy.get('base-uri'), path).toEqual(["'self'"]);
	expect(policy.get('form-action'), path).toEqual(["'self'"]);
	// Websockets to this host only (not every ws: host).
	const socket = `ws://${new URL(baseURL).host}`;
	expect(policy.get('connect-src'), path).toEqual(["'self'", socket]);
	// SvelteKit's inline start-up script carries the nonce the header names.
	const nonce = script.find((s) => s.startsWith("'nonce-"))!.slice(7, -1);
	const inline = page.locator('script:not([src])');
	expect(await inline.count(), path).toBeGreaterThan(0);
	for (const element of await inline.all()) {
		expect(await element.evaluate((s: HTMLScriptElement) => s.nonce), path).toBe(nonce);
	}
	return nonce;
}

test('every page type carries the CSP and security headers, and runs without a violation', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(120_000);
	const anonymous = await browser.newContext();
	const anonymousViolations = await watchCspViolations(anonymous);
	const visitor = await anonymous.newPage();
	await expectPagePolicy(visitor, '/signup', baseURL!);
	const first = await expectPagePolicy(visitor, '/signin', baseURL!);
	const second = await expectPagePolicy(visitor, '/signin', baseURL!);
	expect(second, 'a fresh nonce per response').not.toBe(first);
	// The sign-in form still works under the policy (hydrated, enhanced).
	await visitor.getByLabel('Email address').fill('nobody@e2e.example');
	await visitor.getByLabel('Password', { exact: true }).fill('not the password');
	await visitor.getByRole('button', { name: 'Sign in' }).click();
	await expect(visitor.getByRole('alert')).toHaveText('Wrong email address or password.');
	await expectNoSeriousA11yViolations(visitor, 'sign-in under CSP');

	const { team, board, admin } = await setUpTeamWithBoard(browser);
	const adminViolations = await watchCspViolations(admin.context);
	const pages = [
		'/',
		'/admin',
		`/teams/${team.id}`,
		`/teams/${team.id}/members`,
		`/teams/${team.id}/standards`,
		`/teams/${team.id}/follow-up`,
		'/standards',
		'/me',
		'/account',
		board.url
	];
	for (const path of pages) await expectPagePolicy(admin.page, path, baseURL!);
	// An error page too.
	const missing = await admin.page.goto('/boards/brd_doesnotexist');
	expect(missing?.status()).toBe(404);
	expect(missing?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");

	// JSON answers get a policy that allows nothing, and the same headers.
	const api = await admin.page.request.get(`/api/boards/${board.id}/people`);
	expect(api.status()).toBe(200);
	expectSecurityHeaders(api.headers(), 'API');
	expect(api.headers()['content-security-policy']).toContain("default-src 'none'");

	expect(anonymousViolations).toEqual([]);
	expect(adminViolations).toEqual([]);
	await closeAll([admin, { context: anonymous }]);
});

test('the board works under the CSP: live sync between two screens and drag, no violation', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const { board, admin, people } = await setUpTeamWithBoard(browser, { roles: ['member'] });
	const [member] = people;
	const violations = [
		...(await watchCspViolations(admin.context)),
		...(await watchCspViolations(member.context))
	];
	const a = admin.page;
	const b = member.page;
	for (const page of [a, b]) {
		await page.goto(board.url);
		await expect(page.locator('[data-connection="saved"]')).toBeVisible();
	}
	const column = (page: Page, stage: string) =>
		page.getByRole('list', { name: `Cards in ${stage}` });
	const card = (page: Page, stage: string, title: string) =>
		column(page, stage).getByRole('listitem').filter({ hasText: title });

	await a.getByRole('button', { name: 'New proposal' }).click();
	await a.getByLabel('What could we improve?').fill('Quieter night rounds');
	await a.getByLabel('Who is it for?').fill('Residents');
	await a.getByLabel('What is the problem today?').fill('Doors slam at night.');
	await a.getByRole('button', { name: 'Add card' }).click();
	await expect(card(b, 'Proposed', 'Quieter night rounds')).toBeVisible();

	await a.getByRole('button', { name: 'Cancel' }).click();
	const handle = card(a, 'Proposed', 'Quieter night rounds').getByRole('button', {
		name: 'Drag or move card: Quieter night rounds'
	});
	await handle.scrollIntoViewIfNeeded();
	await expect(handle).toHaveAttribute('aria-roledescription', 'draggable');
	const from = (await handle.boundingBox())!;
	const to = (await column(a, 'Plan').boundingBox())!;
	await a.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
	await a.mouse.down();
	await a.mouse.move(from.x + 40, from.y + 40, { steps: 5 });
	await a.mouse.move(to.x + to.width / 2, to.y + 30, { steps: 20 });
	await a.mouse.up();
	await expect(card(a, 'Plan', 'Quieter night rounds')).toBeVisible();
	await expect(card(b, 'Plan', 'Quieter night rounds')).toBeVisible();
	await expect(a.locator('[data-connection="saved"]')).toBeVisible();
	await expectNoSeriousA11yViolations(a, 'board under CSP');

	expect(violations).toEqual([]);
	await closeAll([admin, member]);
});

test('the guests API refuses a foreign Origin and a missing one, and reads only a JSON body', async ({
	browser,
	baseURL
}) => {
	const { board, admin } = await setUpTeamWithBoard(browser);
	const a = admin.page;
	await a.goto(board.url);
	await expect(a.locator('[data-connection="saved"]')).toBeVisible();
	await a.getByRole('button', { name: 'New proposal' }).click();
	await a.getByLabel('What could we improve?').fill('Fewer missed calls');
	await a.getByLabel('Who is it for?').fill('Relatives');
	await a.getByLabel('What is the problem today?').fill('Nobody answers after 16.');
	await a.getByRole('button', { name: 'Add card' }).click();
	const created = a
		.getByRole('list', { name: 'Cards in Proposed' })
		.getByRole('listitem')
		.filter({ hasText: 'Fewer missed calls' });
	await expect(created).toBeVisible();
	await a.getByRole('button', { name: 'Cancel' }).click();
	await created.locator('button[aria-haspopup="dialog"]').click();
	await expect(a).toHaveURL(/\?card=/);
	const cardId = new URL(a.url()).searchParams.get('card')!;
	await expect(a.locator('[data-connection="saved"]')).toBeVisible();

	const guests = `/api/boards/${board.id}/cards/${cardId}/guests`;
	const own = new URL(baseURL!).origin;
	const body = { userId: 'usr_someone' };
	for (const method of ['post', 'delete'] as const) {
		const send = (headers: Record<string, string>, data?: unknown) =>
			a.request[method](guests, { headers, data, maxRedirects: 0 });
		// From another site, with the victim's cookie: refused before the route runs.
		const foreign = await send({ origin: 'https://evil.example' }, body);
		expect(foreign.status(), `${method} from a foreign origin`).toBe(403);
		expect(await foreign.text()).toBe(
			'This request did not come from a Tillit page, so nothing was changed. Reload the page and try again.'
		);
		// An API client that asks for JSON gets the same refusal as JSON.
		const asJson = await send({ origin: 'https://evil.example', accept: 'application/json' }, body);
		expect(asJson.status()).toBe(403);
		expect(Object.keys((await asJson.json()) as object)).toEqual(['message']);
		expect((await send({ origin: 'null' }, body)).status(), `${method}, opaque origin`).toBe(403);
		// No Origin at all (Playwright sends none unless told), no body, no content type.
		expect((await send({})).status(), `${method} with no Origin`).toBe(403);
		expect((await send({}, body)).status(), `${method} with no Origin, JSON body`).toBe(403);
		// From our own page: no body, or the person in the query string, is not accepted…
		expect((await send({ origin: own })).status(), `${method} with no body`).toBe(415);
		expect(
			(
				await a.request[method](`${guests}?userId=usr_someone`, {
					headers: { origin: own },
					maxRedirects: 0
				})
			).status(),
			`${method} with ?userId=`
		).toBe(415);
		expect((await send({ origin: own }, { userId: 'not an id!' })).status()).toBe(400);
	}
	// …a well-formed JSON body is (removing someone who is not a guest changes nothing: 204).
	expect((await a.request.delete(guests, { headers: { origin: own }, data: body })).status()).toBe(
		204
	);
	// Nothing was added by any of the refused requests.
	const list = await a.request.get(guests);
	expect(list.status()).toBe(200);
	expect(await list.json()).toEqual({ guests: [] });

	await closeAll([admin]);
});
