/**
 * The stand-up room through the real server: a TV signed in by a display link (1920×1080, read
 * only) walks the board with the keyboard and a laptop follows, and the other way round; cards
 * moved between two stand-ups are marked with what changed; a phone (iPhone 13 size, Chromium)
 * sends an idea with a photo that the TV shows, and an idea made offline arrives once; revoking
 * the display link closes the TV's socket. Axe on every new page. Prints taps and seconds from
 * opening the capture page to "sent", and a photo's bytes before and after resizing.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { devices, expect, test, type Browser, type Page } from '@playwright/test';
import sharp from 'sharp';
import { readCards } from '../../src/lib/board/document';
import { createIdea } from '../../src/lib/board/idea';
import { addComment, moveThroughLifecycle } from '../../src/lib/board/pdca';
import { SESSION_COOKIE } from '../../src/lib/server/session';
import { connectClient } from '../helpers/sync-client';
import { expectNoSeriousA11yViolations } from './helpers/axe';
import { closeAll, setUpTeamWithBoard, signIn, type SignedInPerson } from './helpers/accounts';

const SCREENS = '/work/screens/standup';
const TV = { viewport: { width: 1920, height: 1080 } };

function screens(): string {
	mkdirSync(SCREENS, { recursive: true });
	return SCREENS;
}

/** Sends one idea from the capture page; resolves when the page says it was sent. */
async function sendIdea(
	page: Page,
	problem: string,
	beneficiary = '',
	attempt?: () => Promise<void>
) {
	await page.getByLabel('What is the problem?').fill(problem);
	if (beneficiary) await page.getByLabel('Who is it for? (optional)').fill(beneficiary);
	await (attempt?.() ?? page.getByRole('button', { name: 'Send the idea' }).click());
	await expect(page.getByTestId('capture-status')).toContainText('Sent – thank you!');
}

async function openCapture(page: Page, boardId: string) {
	await page.goto(`/capture/${boardId}`);
	await expect(page.getByRole('heading', { level: 1, name: 'Add an idea' })).toBeVisible();
}

async function anotherIdea(page: Page) {
	await page.getByRole('button', { name: 'Add another idea' }).click();
}

/** A manager makes a display link on the board's display page; returns the link. */
async function createDisplayLink(page: Page, boardId: string, label: string): Promise<string> {
	await page.goto(`/boards/${boardId}/standup/displays`);
	await page.getByLabel('Name of the screen').fill(label);
	await page.getByRole('button', { name: 'Create display link' }).click();
	const field = page.getByLabel('Display link', { exact: true });
	await expect(field).toHaveValue(/\/display\/[a-z2-7]{32}$/);
	return field.inputValue();
}

async function openTv(browser: Browser, link: string) {
	const context = await browser.newContext(TV);
	const page = await context.newPage();
	await page.goto(link);
	await expect(page).toHaveURL(/\/boards\/[^/]+\/standup$/);
	await expect(page.locator('[data-connection="online"]')).toBeVisible();
	return { context, page };
}

async function openStandup(page: Page, boardId: string) {
	await page.goto(`/boards/${boardId}/standup`);
	await expect(page.locator('[data-connection="online"]')).toBeVisible();
}

function focusedTile(page: Page) {
	return page.locator('.tile[aria-current="true"]');
}

/** The board with three ideas sent from the admin's capture page, a TV and the admin's laptop. */
async function boardWithIdeasAndTv(browser: Browser, roles: readonly 'member'[] = []) {
	const setup = await setUpTeamWithBoard(browser, { roles });
	const { admin, board } = setup;
	await openCapture(admin.page, board.id);
	await sendIdea(admin.page, 'Handovers take too long', 'Evening shift');
	await anotherIdea(admin.page);
	await sendIdea(admin.page, 'Keys are lost on home visits', 'Home care staff');
	await anotherIdea(admin.page);
	await sendIdea(admin.page, 'Medicine trolley blocks the corridor', 'Residents');
	const link = await createDisplayLink(admin.page, board.id, 'Staff room TV');
	const tv = await openTv(browser, link);
	return { ...setup, link, tv };
}

test('a TV signed in by display link walks the board with the keyboard, a laptop follows; the TV cannot write', async ({
	browser
}) => {
	test.setTimeout(150_000);
	const { admin, board, tv } = await boardWithIdeasAndTv(browser);
	const laptop = admin.page;
	await openStandup(laptop, board.id);
	await expect(tv.page.locator('.tile')).toHaveCount(3);
	await expect(tv.page.getByRole('region', { name: /in the meeting/ })).toContainText(admin.name);
	await expect(laptop.getByRole('region', { name: /in the meeting/ })).toContainText(
		'Screen: Staff room TV'
	);

	await test.step('the TV walks with the keyboard (a clicker is PageDown), the laptop follows', async () => {
		await tv.page.keyboard.press('PageDown');
		await expect(focusedTile(tv.page)).toContainText('Handovers take too long');
		await expect(focusedTile(laptop)).toContainText('Handovers take too long');
		await expect(tv.page.getByTestId('walk-announcement')).toHaveText(
			'Card 1 of 3: Handovers take too long, Proposed'
		);
		await tv.page.keyboard.press('ArrowRight');
		await expect(focusedTile(laptop)).toContainText('Keys are lost on home visits');
		await expect(laptop.getByTestId('focused-card')).toContainText('Home care staff');
		await expect(laptop.getByTestId('focused-card')).toContainText('Owner');
	});

	await test.step('the laptop walks, the TV follows', async () => {
		await laptop.keyboard.press('ArrowRight');
		await expect(focusedTile(tv.page)).toContainText('Medicine trolley blocks the corridor');
		await laptop.keyboard.press('PageUp');
		await expect(focusedTile(tv.page)).toContainText('Keys are lost on home visits');
		await expect(tv.page.getByTestId('walk-announcement')).toHaveText(
			'Card 2 of 3: Keys are lost on home visits, Proposed'
		);
	});

	await test.step('the TV view fits one 1920×1080 screen, with 32 px titles', async () => {
		const sizes = await tv.page.evaluate(() => ({
			scrollWidth: document.documentElement.scrollWidth,
			scrollHeight: document.documentElement.scrollHeight,
			title: parseFloat(getComputedStyle(document.querySelector('.tile-title')!).fontSize)
		}));
		expect(sizes.scrollWidth).toBeLessThanOrEqual(1920);
		expect(sizes.scrollHeight).toBeLessThanOrEqual(1080);
		expect(sizes.title).toBeGreaterThanOrEqual(32);
		await tv.page.screenshot({ path: path.join(screens(), 'tv-1920x1080-walk.png') });
	});

	await test.step('the TV is read-only and reaches nothing else', async () => {
		await expect(tv.page.getByRole('button', { name: 'Start the stand-up' })).toHaveCount(0);
		await expect(tv.page.getByRole('button', { name: 'Start timer' })).toHaveCount(0);
		const origin = new URL(tv.page.url()).origin;
		const start = await tv.context.request.post(`/boards/${board.id}/standup?/start`, {
			headers: { origin, 'x-sveltekit-action': 'true' },
			form: {}
		});
		expect(await start.json()).toMatchObject({
			type: 'redirect',
			location: expect.stringMatching(/^\/signin/)
		});
		const upload = await tv.context.request.post(`/api/boards/${board.id}/cards/x1/photos`, {
			headers: { origin, 'content-type': 'image/jpeg' },
			data: Buffer.from('not really')
		});
		expect(upload.status()).toBe(401);
		await expect(laptop.getByRole('button', { name: 'Start the stand-up' })).toBeVisible();
		const other = await tv.context.newPage();
		await other.goto('/admin');
		await expect(other).toHaveURL(/\/signin/);
		await other.goto(`/boards/${board.id}`);
		await expect(other).toHaveURL(/\/signin/);
		await other.close();
	});

	await test.step('axe on the stand-up screen, the display links page and the capture page', async () => {
		await expectNoSeriousA11yViolations(tv.page, 'stand-up screen (TV)');
		await expectNoSeriousA11yViolations(laptop, 'stand-up screen (laptop)');
		await laptop.goto(`/boards/${board.id}/standup/displays`);
		await expectNoSeriousA11yViolations(laptop, 'display links');
		await openCapture(laptop, board.id);
		await expectNoSeriousA11yViolations(laptop, 'capture page');
		await laptop.goto('/me/ideas');
		await expect(laptop.getByRole('cell', { name: 'Handovers take too long' })).toBeVisible();
		await expectNoSeriousA11yViolations(laptop, 'my ideas');
	});

	await tv.context.close();
	await closeAll([admin]);
});

/**
 * An editor's second device on the board, driven from the test through the sync protocol (so the
 * moves do not depend on the board page's own controls, which another screen of the app owns).
 */
async function editorDevice(person: SignedInPerson, page: Page, boardId: string) {
	const origin = new URL(page.url()).origin;
	const cookie = (await person.context.cookies()).find((c) => c.name === SESSION_COOKIE);
	if (!cookie) throw new Error('no session cookie');
	const client = connectClient(
		{ serverUrl: `${origin.replace(/^http/, 'ws')}/sync`, origin },
		boardId,
		{ token: cookie.value }
	);
	await expect.poll(() => client.provider.synced).toBe(true);
	const cardId = (title: string) => {
		const found = readCards(client.doc).find((c) => c.title === title);
		if (!found) throw new Error(`no card ${title}`);
		return found.id;
	};
	return { client, cardId };
}

test('cards moved and commented between two stand-ups are marked with what changed; the summary is kept', async ({
	browser
}) => {
	test.setTimeout(150_000);
	const { admin, board, tv } = await boardWithIdeasAndTv(browser);
	const laptop = admin.page;
	await openStandup(laptop, board.id);

	await test.step('a stand-up runs and ends with its summary', async () => {
		await laptop.getByRole('button', { name: 'Start the stand-up' }).click();
		await expect(laptop.getByRole('button', { name: 'End the stand-up' })).toBeVisible();
		// The timer starts with the meeting, on every screen.
		await expect(tv.page.getByTestId('timer')).not.toHaveText('10:00');
		await laptop.keyboard.press('PageDown');
		await expect(focusedTile(tv.page)).toContainText('Handovers take too long');
		await laptop.getByRole('button', { name: 'Parking lot (0)' }).click();
		await laptop.getByLabel('Topic to take after the meeting').fill('Rota for December');
		await laptop.getByRole('button', { name: 'Park it' }).click();
		await expect(tv.page.getByRole('button', { name: 'Parking lot (1)' })).toBeVisible();
		await laptop.getByRole('button', { name: 'End the stand-up' }).click();
		const dialog = laptop.getByRole('dialog', { name: 'End the stand-up' });
		await expect(dialog.getByRole('checkbox', { name: admin.name })).toBeChecked();
		await expect(dialog).toContainText('1 card was discussed.');
		await dialog.getByRole('button', { name: 'End and keep the summary' }).click();
		await expect(laptop.getByRole('button', { name: 'Start the stand-up' })).toBeVisible();
		await expect(tv.page.getByText('0 cards changed since the last stand-up')).toBeVisible();
	});

	const device = await editorDevice(admin, laptop, board.id);
	await test.step('between stand-ups: one card moves, another gets a comment', async () => {
		const handovers = device.cardId('Handovers take too long');
		const keys = device.cardId('Keys are lost on home visits');
		const adminId = readCards(device.client.doc)[0]!.createdBy;
		device.client.doc.transact(() => {
			const moved = moveThroughLifecycle(device.client.doc, handovers, {
				stage: 'plan',
				index: 0,
				userId: adminId
			});
			expect(moved.ok).toBe(true);
			addComment(device.client.doc, keys, {
				id: 'comment-1',
				author: { id: adminId, name: admin.name },
				text: 'Ask the locksmith',
				mentions: [],
				at: Date.now()
			});
		});
		await expect.poll(() => device.client.saved).toBe(true);
	});

	await test.step('the TV marks them, without a reload', async () => {
		await expect(tv.page.getByText('2 cards changed since the last stand-up')).toBeVisible();
		const plan = tv.page.getByRole('region', { name: /^Plan/ });
		await expect(plan.locator('.tile', { hasText: 'Handovers take too long' })).toContainText(
			'Moved'
		);
		await expect(
			tv.page.locator('.tile', { hasText: 'Keys are lost on home visits' })
		).toContainText('Commented');
		await expect(
			tv.page.locator('.tile', { hasText: 'Medicine trolley blocks the corridor' })
		).not.toContainText(/Moved|Commented|New/);
	});

	await test.step('the next stand-up names the move from the stage events', async () => {
		await laptop.getByRole('button', { name: 'Start the stand-up' }).click();
		await expect(laptop.getByRole('button', { name: 'End the stand-up' })).toBeVisible();
		await tv.page.keyboard.press('Home');
		await expect(tv.page.getByTestId('focused-card')).toContainText('Handovers take too long');
		await expect(tv.page.getByTestId('focused-card')).toContainText('Moved from Proposed to Plan');
		await tv.page.screenshot({ path: path.join(screens(), 'tv-1920x1080-changed.png') });
	});

	await test.step('the summaries page keeps the first stand-up', async () => {
		await laptop.goto(`/boards/${board.id}/standup/summaries`);
		const first = laptop.getByRole('article').first();
		await expect(first).toContainText('1 attendee');
		await expect(first).toContainText(admin.name);
		await expect(first).toContainText('1 card discussed');
		await expect(first).toContainText('Rota for December');
		await expectNoSeriousA11yViolations(laptop, 'stand-up summaries');
	});

	device.client.destroy();
	await tv.context.close();
	await closeAll([admin]);
});

/** A phone: iPhone 13's screen, touch and user agent, in Chromium (the only browser here). */
async function phoneFor(browser: Browser, person: SignedInPerson) {
	const { defaultBrowserType: _ignored, ...iPhone } = devices['iPhone 13'];
	const context = await browser.newContext(iPhone);
	const page = await context.newPage();
	await signIn(page, person);
	return { context, page };
}

test('a phone sends an idea with a photo in two taps and the TV shows it; an offline idea arrives once', async ({
	browser
}, testInfo) => {
	test.setTimeout(150_000);
	const { admin, board, tv, people } = await boardWithIdeasAndTv(browser, ['member']);
	const member = people[0];
	if (!member) throw new Error('no member');
	const phone = await phoneFor(browser, member);

	const photoPath = testInfo.outputPath('ward-photo.jpg');
	// A phone-sized photo (12 MP) with a GPS position in its EXIF.
	const original = await sharp({
		create: {
			width: 4032,
			height: 3024,
			channels: 3,
			background: '#808080',
			noise: { type: 'gaussian', mean: 128, sigma: 40 }
		}
	})
		.jpeg({ quality: 85 })
		.withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '59/1 19/1 0/1' } })
		.toFile(photoPath);

	await test.step('two taps and a photo, measured', async () => {
		const opened = performance.now();
		await openCapture(phone.page, board.id);
		let taps = 0;
		await phone.page.getByLabel('What is the problem?').tap();
		taps++;
		await phone.page.keyboard.type('Wheelchairs block the lift');
		await phone.page.getByLabel('Photo (optional)').setInputFiles(photoPath);
		taps++; // choosing the photo: one tap on the field (the camera itself is the phone's)
		const uploaded = phone.page.waitForResponse(
			(r) => r.url().includes('/photos') && r.request().method() === 'POST'
		);
		await phone.page.getByRole('button', { name: 'Send the idea' }).tap();
		taps++;
		expect((await uploaded).status()).toBe(201);
		await expect(phone.page.getByTestId('capture-status')).toContainText('Sent – thank you!');
		const seconds = (performance.now() - opened) / 1000;
		console.log(
			`[standup figures] capture: ${taps} taps (2 without the photo), ${seconds.toFixed(1)} s from opening the page to "sent"`
		);
	});

	await test.step('the TV shows the idea and its photo', async () => {
		const tile = tv.page.locator('.tile', { hasText: 'Wheelchairs block the lift' });
		await expect(tile).toContainText('Photo');
		await tile.click();
		const photo = tv.page.getByRole('img', { name: /Photo for the idea/ });
		await expect(photo).toBeVisible();
		await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1600);
		// What the server kept: resized, re-encoded, and without the GPS position.
		const src = await photo.getAttribute('src');
		const stored = await tv.context.request.get(src ?? '');
		expect(stored.ok()).toBe(true);
		const bytes = await stored.body();
		const meta = await sharp(bytes).metadata();
		expect(meta.exif).toBeUndefined();
		expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(1600);
		console.log(
			`[standup figures] photo: ${original.size} bytes ${original.width}×${original.height} before, ${bytes.byteLength} bytes ${meta.width}×${meta.height} after`
		);
		await tv.page.screenshot({ path: path.join(screens(), 'tv-1920x1080-photo.png') });
	});

	await test.step('offline: the idea waits on the phone and arrives once when it is back', async () => {
		await phone.page.getByRole('button', { name: 'Add another idea' }).tap();
		await phone.context.setOffline(true);
		await phone.page.getByLabel('What is the problem?').fill('No soap in the sluice room');
		await phone.page.getByRole('button', { name: 'Send the idea' }).tap();
		await expect(phone.page.getByTestId('capture-status')).toContainText('Saved on this phone');
		await phone.page.screenshot({
			path: path.join(screens(), 'phone-offline.png'),
			fullPage: true
		});
		await expect(tv.page.locator('.tile', { hasText: 'No soap in the sluice room' })).toHaveCount(
			0
		);
		await phone.context.setOffline(false);
		await expect(phone.page.getByTestId('capture-status')).toContainText('Sent – thank you!');
		await expect(tv.page.locator('.tile', { hasText: 'No soap in the sluice room' })).toHaveCount(
			1
		);
		// A reload syncs the phone's local copy again: still one card.
		await phone.page.reload();
		await expect(phone.page.getByRole('heading', { name: 'My ideas on this board' })).toBeVisible();
		await expect(
			phone.page
				.getByRole('region', { name: 'My ideas on this board' })
				.getByText('No soap in the sluice room')
		).toHaveCount(1);
		await expect(tv.page.locator('.tile', { hasText: 'No soap in the sluice room' })).toHaveCount(
			1
		);
	});

	await test.step('voting from the phone shows on the TV', async () => {
		await phone.page.getByRole('button', { name: 'Vote: Keys are lost on home visits' }).tap();
		await expect(
			phone.page.getByRole('button', { name: 'Vote: Keys are lost on home visits' })
		).toHaveAttribute('aria-pressed', 'true');
		await expect(
			tv.page.locator('.tile', { hasText: 'Keys are lost on home visits' })
		).toContainText('1 vote');
		await tv.page.getByRole('button', { name: 'Sort proposals by votes' }).click();
		await expect(
			tv.page
				.getByRole('region', { name: /^Proposed/ })
				.locator('.tile')
				.first()
		).toContainText('Keys are lost on home visits');
	});

	await phone.page.goto(`/capture/${board.id}`);
	await expect(phone.page.getByRole('heading', { level: 1, name: 'Add an idea' })).toBeVisible();
	await phone.page.screenshot({ path: path.join(screens(), 'phone-capture.png'), fullPage: true });
	await expectNoSeriousA11yViolations(phone.page, 'capture page on a phone');

	await phone.context.close();
	await tv.context.close();
	await closeAll([admin, member]);
});

test('revoking the display link closes the TV socket at once, and the TV is signed out', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const { admin, board, tv, link } = await boardWithIdeasAndTv(browser);
	await admin.page.goto(`/boards/${board.id}/standup/displays`);
	await admin.page.getByRole('button', { name: 'Revoke: Staff room TV' }).click();
	await expect(admin.page.getByText('The display link is revoked.')).toBeVisible();
	await expect(tv.page.getByText('This screen no longer has access to the board.')).toBeVisible();
	await expect(tv.page.locator('[data-connection="offline"]')).toBeVisible();
	await tv.page.reload();
	await expect(tv.page).toHaveURL(/\/signin/);
	await tv.page.goto(link);
	await expect(
		tv.page.getByRole('heading', { name: 'This link is no longer valid' })
	).toBeVisible();
	await expectNoSeriousA11yViolations(tv.page, 'revoked display link');
	await tv.context.close();
	await closeAll([admin]);
});

test('a board of 40 active cards fits one 1920×1080 TV with 32 px titles and no scrolling', async ({
	browser
}) => {
	test.setTimeout(150_000);
	const { admin, board, tv } = await boardWithIdeasAndTv(browser);
	await openStandup(admin.page, board.id);
	const device = await editorDevice(admin, admin.page, board.id);
	const doc = device.client.doc;
	const adminId = readCards(doc)[0]!.createdBy;
	// 37 more ideas (40 with the three already there), spread over the flow as a real board is.
	const spread = { plan: 9, do: 7, check: 5, act: 4, standard: 3 } as const;
	const titles = [
		'Shorter handover notes at shift change',
		'Fewer phone calls during the medicine round',
		'A checklist for new substitutes',
		'Visiting times that suit the families',
		'One place for the key cabinet codes'
	];
	const ids: string[] = [];
	doc.transact(() => {
		for (let i = 0; i < 37; i++) {
			const cardId = `seed-${i}`;
			createIdea(doc, {
				cardId,
				problem: `${titles[i % titles.length]} ${i + 1}`,
				beneficiary: 'Residents',
				idea: '',
				proposer: { id: adminId, name: admin.name },
				now: Date.now()
			});
			ids.push(cardId);
		}
	});
	await expect.poll(() => device.client.saved).toBe(true);
	let next = 0;
	doc.transact(() => {
		for (const [stage, count] of Object.entries(spread)) {
			for (let i = 0; i < count; i++) {
				const moved = moveThroughLifecycle(doc, ids[next++]!, {
					stage: stage as keyof typeof spread,
					index: i,
					userId: adminId,
					override: 'Seeded for the test'
				});
				expect(moved.ok).toBe(true);
			}
		}
	});
	await expect.poll(() => device.client.saved).toBe(true);
	await expect(tv.page.locator('.tile')).toHaveCount(40);
	await tv.page.keyboard.press('PageDown');
	await tv.page.keyboard.press('Escape');
	const fit = await tv.page.evaluate(() => {
		const tiles = [...document.querySelectorAll('.tile')].map((t) => t.getBoundingClientRect());
		return {
			scrollWidth: document.documentElement.scrollWidth,
			scrollHeight: document.documentElement.scrollHeight,
			lowest: Math.max(...tiles.map((r) => r.bottom)),
			rightmost: Math.max(...tiles.map((r) => r.right)),
			titles: [...document.querySelectorAll('.tile-title')].map((t) =>
				parseFloat(getComputedStyle(t).fontSize)
			)
		};
	});
	expect(fit.scrollWidth).toBeLessThanOrEqual(1920);
	expect(fit.scrollHeight).toBeLessThanOrEqual(1080);
	expect(fit.lowest).toBeLessThanOrEqual(1080);
	expect(fit.rightmost).toBeLessThanOrEqual(1920);
	expect(Math.min(...fit.titles)).toBeGreaterThanOrEqual(32);
	await tv.page.screenshot({ path: path.join(screens(), 'tv-1920x1080-40-cards.png') });
	device.client.destroy();
	await tv.context.close();
	await closeAll([admin]);
});
