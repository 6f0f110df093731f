/**
 * An improvement's whole journey, in Swedish, by two people in their own browsers: the owner
 * proposes it (the Plan gate first asks for the problem, with a way into the card), plans with a
 * numeric goal, does and checks it; a colleague named as affected finds the card waiting for their
 * input (a filter in the address) and answers; the owner adapts (cycle 2, cycle 1 stays readable),
 * then adopts — deciding before the colleague answered again needs a reason — and writes the
 * standard. The history lists the stage events with their cycles. axe checks the card panel.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './helpers/axe';
import { closeAll, setUpTeamWithBoard } from './helpers/accounts';

async function switchToSwedish(page: Page) {
	await page.getByRole('button', { name: 'Svenska' }).click();
	await expect(page.getByRole('button', { name: 'Svenska' })).toHaveAttribute(
		'aria-pressed',
		'true'
	);
}

/** Opens the board and waits until it is synced (after hydration). */
async function openBoard(page: Page, url: string) {
	await page.goto(url);
	await expect(page.locator('[data-connection="saved"]')).toBeVisible();
}

function column(page: Page, stage: string): Locator {
	return page.getByRole('list', { name: `Kort i ${stage}` });
}

function card(page: Page, stage: string, title: string): Locator {
	return column(page, stage).getByRole('listitem').filter({ hasText: title });
}

function panel(page: Page): Locator {
	return page.getByRole('dialog', { name: /^Kort /i });
}

function section(page: Page, name: string): Locator {
	return panel(page).getByRole('region', { name, exact: true });
}

async function addCard(page: Page, title: string, beneficiary: string) {
	const toggle = page.getByRole('button', { name: 'Nytt förslag' });
	if (await toggle.isVisible()) await toggle.click();
	await page.getByLabel('Vad kan vi förbättra?').fill(title);
	await page.getByLabel('Vem är det för?').fill(beneficiary);
	await page.getByRole('button', { name: 'Lägg till kortet' }).click();
	await expect(card(page, 'Förslag', title)).toBeVisible();
}

/** Saves a numeric goal in the Plan section of the open card. */
async function setNumericGoal(page: Page, target: string) {
	const plan = section(page, 'Planera');
	await plan.getByLabel('Vad mäts?').fill('Väntetid till frukost');
	await plan.getByLabel('Enhet').fill('minuter');
	await plan.getByLabel('Utgångsläge').fill('25');
	await plan.getByLabel('Målvärde').fill(target);
	await plan.getByLabel('Lägre är bättre').check();
	await plan.getByRole('button', { name: 'Spara siffermålet' }).click();
	await expect(plan.getByRole('button', { name: 'Ta bort siffermålet' })).toBeVisible();
}

async function addMeasurement(page: Page, date: string, value: string) {
	const check = section(page, 'Studera');
	await check.getByLabel('Datum', { exact: true }).fill(date);
	await check.getByLabel('Värde (minuter)').fill(value);
	await check.getByRole('button', { name: 'Lägg till mätningen' }).click();
}

async function moveFromPanel(page: Page, stage: string) {
	await panel(page)
		.getByRole('button', { name: `Flytta till ${stage}` })
		.click();
	await expect(panel(page)).toContainText(`Steg: ${stage}`);
}

test('a proposal becomes a standard through two PDCA cycles, with a colleague’s input', async ({
	browser
}, testInfo) => {
	test.setTimeout(240_000);
	const { board, admin, people } = await setUpTeamWithBoard(browser, {
		roles: ['member', 'member']
	});
	const [owner, colleague] = people;
	const o = owner.page;
	const c = colleague.page;
	const title = 'Kortare väntan på frukost';

	await openBoard(o, board.url);
	await switchToSwedish(o);
	await expect(o.locator('[data-connection="saved"]')).toBeVisible();
	await addCard(o, title, 'Boende på Solgården');
	await addCard(o, 'Fler sittplatser i matsalen', 'Boende på Solgården');

	await test.step('the Plan gate asks for the problem first, and leads into the card', async () => {
		await card(o, 'Förslag', title)
			.getByRole('button', { name: /^Flytta till…/ })
			.click();
		await o.getByRole('menuitem', { name: 'Till Planera' }).click();
		const notice = o.getByRole('alert').filter({ hasText: 'kan inte flyttas till Planera' });
		await expect(notice).toContainText('en beskrivning av problemet i dag');
		await expect(card(o, 'Förslag', title)).toBeVisible();
		await notice.getByRole('button', { name: 'Öppna kortet och fyll i' }).click();

		await expect(panel(o)).toBeVisible();
		await expect(o).toHaveURL(/\?card=/);
		const problem = panel(o).getByLabel('Vad är problemet i dag?');
		await expect(problem).toBeFocused();
		await problem.fill('Frukosten serveras först 08.30; många är vakna från 06.');
		await panel(o)
			.getByLabel('Vad kan vi prova?')
			.fill('Frukost i två omgångar, den första 07.00.');
		await moveFromPanel(o, 'Planera');
		await expect(card(o, 'Planera', title)).toBeVisible();
	});

	await test.step('plan with a numeric goal, then Do and Check with measurements', async () => {
		// Do needs a goal: the panel says what is missing, with a link to it.
		await panel(o).getByRole('button', { name: 'Flytta till Göra' }).click();
		const gate = panel(o).getByText('kan inte flyttas till Göra än');
		await expect(gate).toBeVisible();
		await panel(o)
			.getByRole('link', { name: /^Sätt ett mål i Planera/ })
			.click();
		await expect(
			panel(o).getByRole('heading', { name: 'Planera', exact: true, level: 3 })
		).toBeFocused();

		await section(o, 'Planera')
			.getByLabel('Varför gör vi det här?')
			.fill('De boende väntar hungriga.');
		await setNumericGoal(o, '10');
		await moveFromPanel(o, 'Göra');
		await section(o, 'Göra').getByLabel('Startdatum').fill('2026-11-02');
		await moveFromPanel(o, 'Studera');

		await addMeasurement(o, '2026-11-09', '20');
		await addMeasurement(o, '2026-11-16', '14');
		const check = section(o, 'Studera');
		await expect(check.getByRole('table')).toContainText('14');
		await expect(check.getByRole('img')).toHaveAccessibleName(/2 mätningar, senast 14 minuter/);
		await expect(check).toContainText('Målet är inte nått än.');
	});

	await test.step('the colleague is named as affected and gives input from their own screen', async () => {
		const plan = section(o, 'Planera');
		await plan.getByLabel('Lägg till en berörd person').selectOption({ label: colleague.name });
		await plan.getByRole('button', { name: 'Lägg till', exact: true }).click();
		await expect(section(o, 'Studera')).toContainText('0 av 1 har lämnat synpunkter');

		// The colleague filters the board to what waits for their input; the filter is in the address.
		await openBoard(c, board.url);
		await switchToSwedish(c);
		await c.getByRole('button', { name: 'Filtrera' }).click();
		await c.getByLabel('Väntar på min synpunkt').check();
		await expect(c).toHaveURL(/waiting=1/);
		await expect(c.getByRole('status').filter({ hasText: 'Visar 1 av 2 kort' })).toBeVisible();
		await expect(card(c, 'Studera', title)).toContainText('Väntar på synpunkter från 1');
		await expect(c.getByText('Fler sittplatser i matsalen')).toHaveCount(0);
		await card(c, 'Studera', title).getByRole('button', { name: title, exact: true }).click();

		const input = panel(c).getByRole('group', { name: 'Din synpunkt' });
		await input.getByLabel('Jag har ett förslag').check();
		await input.getByLabel('Kommentar').fill('Låt nattpersonalen duka fram till första omgången.');
		await panel(c).getByRole('button', { name: 'Skicka synpunkten' }).click();
		await expect(panel(c).getByText('Tack! Din synpunkt är sparad.')).toBeVisible();
		await expectNoSeriousA11yViolations(c, 'card panel (colleague)');
		await c.keyboard.press('Escape');
		await expect(panel(c)).toBeHidden();
		await expect(c).not.toHaveURL(/card=/);
		// Answered: the card no longer waits for them.
		await expect(c.getByRole('status').filter({ hasText: 'Visar 0 av 2 kort' })).toBeVisible();

		// The owner sees the input arrive live.
		const check = section(o, 'Studera');
		await expect(check).toContainText('1 av 1 har lämnat synpunkter');
		await expect(check).toContainText('Låt nattpersonalen duka fram till första omgången.');
	});

	await test.step('result, then Act: adapt starts cycle 2 in Plan', async () => {
		await section(o, 'Studera')
			.getByLabel('Resultat', { exact: true })
			.fill('Väntan kortades från 25 till 14 minuter, men inte till målet.');
		await moveFromPanel(o, 'Agera');
		const act = section(o, 'Agera');
		await expect(act).toContainText('Jag har ett förslag');
		await act.getByLabel('Justera').check();
		await act
			.getByLabel('Skäl till beslutet')
			.fill('Prova kollegans förslag: nattpersonalen dukar fram.');
		await act.getByRole('button', { name: 'Spara beslutet' }).click();
		await act.getByRole('button', { name: 'Genomför beslutet: planera cykel 2' }).click();
		await expect(panel(o)).toContainText('Steg: Planera');
		await expect(panel(o)).toContainText('Cykel 2');
		await expect(card(o, 'Planera', title)).toContainText('Cykel 2');
	});

	await test.step('cycle 2 to Act; adopting before the colleague answered again needs a reason', async () => {
		await setNumericGoal(o, '10');
		await moveFromPanel(o, 'Göra');
		await moveFromPanel(o, 'Studera');
		await addMeasurement(o, '2026-11-23', '9');
		await expect(section(o, 'Studera')).toContainText('Målet är nått.');
		await section(o, 'Studera')
			.getByLabel('Resultat', { exact: true })
			.fill('Nio minuter: målet är nått.');
		await moveFromPanel(o, 'Agera');

		const act = section(o, 'Agera');
		await act.getByLabel('Införa').check();
		await act.getByLabel('Skäl till beslutet').fill('Målet nåddes två veckor i rad.');
		await expect(act).toContainText(`Har inte svarat än: ${colleague.name}.`);
		await act.getByRole('button', { name: 'Spara beslutet' }).click();
		await expect(
			act.getByText('Skriv varför ni beslutar innan alla berörda har svarat.')
		).toBeVisible();
		await act
			.getByLabel('Varför beslutar ni ändå?')
			.fill('Kollegan är på semester; hen sade ja i cykel 1.');
		await act.getByRole('button', { name: 'Spara beslutet' }).click();
		// The Standard gate: a standard nobody wrote down, owns or reviews is no standard.
		await act.getByRole('button', { name: 'Genomför beslutet: flytta till Standard' }).click();
		await expect(panel(o)).toContainText('Skriv det nya arbetssättet under Standard');
		await expect(panel(o)).toContainText('Välj vem som ansvarar för standarden');
		await expect(panel(o)).toContainText('Ange när standarden ses över nästa gång');
		await expect(panel(o)).toContainText('Steg: Agera');

		const standard = section(o, 'Standard');
		await standard
			.getByLabel('Det nya arbetssättet')
			.fill('Frukost i två omgångar, 07.00 och 08.30. Nattpersonalen dukar fram.');
		await standard.getByLabel('Gäller från').fill('2026-12-01');
		await standard.getByLabel('Nästa översyn').fill('2027-06-01');
		await expect(standard.getByLabel('Nästa översyn')).toHaveValue('2027-06-01');
		await standard
			.getByLabel('Ansvarig för standarden')
			.selectOption({ label: `${owner.name} (du)` });
		await act.getByRole('button', { name: 'Genomför beslutet: flytta till Standard' }).click();
		await expect(panel(o)).toContainText('Steg: Standard');
	});

	await test.step('the standard, the history with cycles, and cycle 1 still readable', async () => {
		const standard = section(o, 'Standard');
		await expect(standard.getByLabel('Nästa översyn')).toHaveValue('2027-06-01');

		const history = section(o, 'Historik').getByRole('list', { name: 'Kortets historik' });
		await expect(history).toContainText('Från Förslag till Planera (cykel 1)');
		await expect(history).toContainText('Från Göra till Studera (cykel 1)');
		await expect(history).toContainText('Från Agera till Planera (cykel 2)');
		await expect(history).toContainText('Från Agera till Standard (cykel 2)');
		await expect(history).toContainText(owner.name);

		await panel(o).getByLabel('Visa cykel').selectOption({ label: 'Cykel 1' });
		const plan = section(o, 'Planera');
		await expect(plan).toContainText('Cykel 1');
		await expect(plan).toContainText('Väntetid till frukost: från 25 till 10 minuter');
		await expect(plan.getByRole('textbox')).toHaveCount(0);
		await expect(section(o, 'Agera')).toContainText('Justera');
		await panel(o).getByLabel('Visa cykel').selectOption({ label: 'Cykel 2 (pågående)' });

		await expectNoSeriousA11yViolations(o, 'card panel (owner, standard)');
		await o.screenshot({ path: testInfo.outputPath('card-panel-desktop.png') });
		await o.setViewportSize({ width: 390, height: 844 });
		await o.screenshot({ path: testInfo.outputPath('card-panel-phone.png') });
		await o.setViewportSize({ width: 1280, height: 720 });

		const cardUrl = o.url();
		await o.keyboard.press('Escape');
		await expect(panel(o)).toBeHidden();
		// Focus is back on the card, now a standard.
		await expect(
			card(o, 'Standard', title).getByRole('button', { name: title, exact: true })
		).toBeFocused();

		// The card's address opens the board with the panel (a link in a follow-up list, a reload).
		await c.goto(cardUrl);
		await expect(panel(c)).toContainText('Steg: Standard');
		await expect(section(c, 'Standard').getByLabel('Det nya arbetssättet')).toHaveValue(
			'Frukost i två omgångar, 07.00 och 08.30. Nattpersonalen dukar fram.'
		);
		await panel(c).getByRole('button', { name: 'Stäng' }).click();
		await expect(panel(c)).toBeHidden();
		await expect(c).not.toHaveURL(/card=/);
		await expect(card(c, 'Standard', title)).toBeVisible();
	});

	await closeAll([admin, ...people]);
});

test('card faces, bookmarkable filters, and a manager who fills in instead of passing a gate', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const { board, admin, people } = await setUpTeamWithBoard(browser, {
		roles: ['member', 'viewer']
	});
	const [member, viewer] = people;
	const a = admin.page;
	const m = member.page;
	const v = viewer.page;
	await openBoard(a, board.url);
	await switchToSwedish(a);
	await addCard(a, 'Nyckelskåp vid entrén', 'Hemtjänstens personal');
	await addCard(a, 'Lugnare måltider', 'Boende på Solgården');

	await test.step('a manager may fill in what is missing instead of passing the gate', async () => {
		await card(a, 'Förslag', 'Nyckelskåp vid entrén')
			.getByRole('button', { name: /^Flytta till…/ })
			.click();
		await a.getByRole('menuitem', { name: 'Till Planera' }).click();
		const override = a.getByRole('dialog', { name: 'Flytta ändå?' });
		await expect(override).toContainText('en beskrivning av problemet i dag');
		await override.getByRole('button', { name: 'Öppna kortet och fyll i' }).click();
		await expect(override).toBeHidden();
		await expect(panel(a).getByLabel('Vad är problemet i dag?')).toBeFocused();
	});

	await test.step('follow-up, label, support and votes show on the card face', async () => {
		const followUp = section(a, 'Uppföljning och ansvar');
		await followUp.getByLabel('Nästa uppföljning').fill('2026-11-02');
		await expect(followUp).toContainText('Uppföljningen är försenad');
		await followUp.getByRole('checkbox', { name: 'Säkerhet' }).check();
		await followUp
			.getByLabel('Ansvarig', { exact: true })
			.selectOption({ label: `${admin.name} (du)` });
		await followUp.getByLabel('Vad behövs?').fill('En extra nyckel från fastighetsägaren');
		await followUp.getByLabel('Från vem?').fill('Enhetschefen');
		await followUp.getByRole('button', { name: 'Be om stöd' }).click();
		await expect(followUp).toContainText('Öppen begäran: En extra nyckel från fastighetsägaren');
		await section(a, 'Förslag').getByRole('button', { name: 'Rösta på förslaget' }).click();
		await expect(section(a, 'Förslag')).toContainText('1 röst');
		await panel(a).getByRole('button', { name: 'Stäng' }).click();

		const face = card(a, 'Förslag', 'Nyckelskåp vid entrén');
		// Overdue in words, not colour alone.
		await expect(face).toContainText('Försenad uppföljning 2 nov. 2026');
		await expect(face).toContainText('Behöver stöd');
		await expect(face).toContainText('1 röst');
	});

	await test.step('filters live in the address: a bookmarked stand-up view keeps them', async () => {
		await openBoard(m, board.url);
		await switchToSwedish(m);
		await m.getByRole('button', { name: 'Filtrera' }).click();
		await m.getByLabel('Etikett').selectOption({ label: 'Säkerhet' });
		await m.getByLabel('Försenad uppföljning').check();
		await expect(m).toHaveURL(/label=safety/);
		await expect(m).toHaveURL(/overdue=1/);
		await expect(m.getByRole('status').filter({ hasText: 'Visar 1 av 2 kort' })).toBeVisible();
		await expect(card(m, 'Förslag', 'Lugnare måltider')).toHaveCount(0);

		const bookmark = m.url();
		await m.goto(bookmark);
		await expect(m.getByRole('button', { name: 'Filtrera (2 filter på)' })).toBeVisible();
		await expect(card(m, 'Förslag', 'Nyckelskåp vid entrén')).toBeVisible();
		await expect(card(m, 'Förslag', 'Lugnare måltider')).toHaveCount(0);
		await m.getByLabel('Ansvarig').selectOption({ label: 'Ingen ansvarig' });
		await expect(m.getByRole('status').filter({ hasText: 'Visar 0 av 2 kort' })).toBeVisible();
		await m.getByRole('button', { name: 'Visa alla kort' }).click();
		await expect(card(m, 'Förslag', 'Lugnare måltider')).toBeVisible();
		await expect(m).not.toHaveURL(/label=/);
	});

	await test.step('a viewer reads the card panel without a field to change', async () => {
		await openBoard(v, board.url);
		await switchToSwedish(v);
		await card(v, 'Förslag', 'Nyckelskåp vid entrén')
			.getByRole('button', { name: 'Nyckelskåp vid entrén', exact: true })
			.click();
		await expect(panel(v)).toContainText('En extra nyckel från fastighetsägaren');
		await expect(panel(v).getByRole('textbox')).toHaveCount(0);
		await expect(panel(v).getByRole('button', { name: 'Rösta på förslaget' })).toHaveCount(0);
		await expectNoSeriousA11yViolations(v, 'card panel (viewer)');
	});

	await closeAll([admin, ...people]);
});
