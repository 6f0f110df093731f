/**
 * Signed-in people, teams and boards for e2e specs, made through the real UI.
 *
 * Every `playwright test` run starts one server on a fresh database. The `setup` project
 * (tests/e2e/organisation.setup.ts) runs first — also when you run a single spec file — and
 * creates the organisation with ORG_ADMIN. Any spec can then sign ORG_ADMIN in and bring in new
 * people through invite links, so specs never depend on each other's order.
 *
 * Quick start (a board with a member and a viewer, each in their own browser context):
 *
 *   import { closeAll, setUpTeamWithBoard } from './helpers/accounts';
 *
 *   test('…', async ({ browser }) => {
 *     const { board, admin, people } = await setUpTeamWithBoard(browser, {
 *       roles: ['member', 'viewer']
 *     });
 *     const [member, viewer] = people;
 *     await member.page.goto(board.url);
 *     …
 *     await closeAll([admin, ...people]);
 *   });
 *
 * Smaller pieces: `signInNewContext(browser, ORG_ADMIN)`, `createTeam(page, name)`,
 * `createBoard(page, teamId, name)`, `createInviteLink(page, teamId, role)`,
 * `joinWithInvite(browser, link)`. Pages are in English: the contexts send Accept-Language en-GB
 * (playwright.config.ts) and new accounts keep that language.
 */
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { Role } from '../../../src/lib/roles';

export interface Person {
	name: string;
	email: string;
	password: string;
}

export interface SignedInPerson extends Person {
	context: BrowserContext;
	page: Page;
}

/** The organisation's first person (org admin), created by organisation.setup.ts. */
export const ORG_ADMIN = {
	organisation: 'Exempelstads kommun',
	name: 'Agnes Admin',
	email: 'agnes.admin@e2e.example',
	password: 'agnes e2e passphrase'
} as const;

let counter = 0;
/** A short suffix that keeps names and emails unique within and across runs. */
export function uniqueSuffix(): string {
	counter += 1;
	return `${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 5)}`;
}

export function newPerson(firstName = 'Person'): Person {
	const suffix = uniqueSuffix();
	return {
		name: `${firstName} ${suffix}`,
		email: `${firstName.toLowerCase()}.${suffix}@e2e.example`,
		password: `long e2e passphrase ${suffix}`
	};
}

/** Signs in through the form and waits until the app has let the person in. */
export async function signIn(page: Page, person: Pick<Person, 'email' | 'password'>) {
	await page.goto('/signin');
	await page.getByLabel('Email address').fill(person.email);
	await page.getByLabel('Password', { exact: true }).fill(person.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).not.toHaveURL(/\/signin/);
}

export async function signInNewContext(browser: Browser, person: Person): Promise<SignedInPerson> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, person);
	return { ...person, context, page };
}

function idFromPath(page: Page, prefix: string): string {
	const { pathname } = new URL(page.url());
	const id = pathname.startsWith(prefix) ? pathname.slice(prefix.length).split('/')[0] : '';
	if (!id) throw new Error(`expected a URL under ${prefix}, got ${page.url()}`);
	return id;
}

/** An org admin creates a team (and becomes its admin); returns the team's id. */
export async function createTeam(page: Page, name: string): Promise<string> {
	await page.goto('/admin');
	await page.getByLabel('Name of the team').fill(name);
	await page.getByRole('button', { name: 'Create the team' }).click();
	await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
	return idFromPath(page, '/teams/');
}

/** A team admin or manager creates a board; returns its id (the page is on the board). */
export async function createBoard(page: Page, teamId: string, name: string): Promise<string> {
	await page.goto(`/teams/${teamId}`);
	await page.getByLabel('Name of the board').fill(name);
	await page.getByRole('button', { name: 'Create the board' }).click();
	await expect(page).toHaveURL(/\/boards\//);
	return idFromPath(page, '/boards/');
}

/** A team admin makes a one-use invite link with this role; returns the link. */
export async function createInviteLink(page: Page, teamId: string, role: Role): Promise<string> {
	await page.goto(`/teams/${teamId}/members`);
	await page.getByLabel('Role', { exact: true }).selectOption(role);
	await page.getByRole('button', { name: 'Create invitation link' }).click();
	const linkField = page.getByLabel('Invitation link', { exact: true });
	await expect(linkField).toHaveValue(/\/invite\/[a-z2-7]{32}$/);
	return linkField.inputValue();
}

/** A signed-out person opens an invite link and signs up; they land on the team's page. */
export async function signUpWithInvite(page: Page, link: string, person: Person) {
	await page.goto(link);
	await page.getByLabel('Name', { exact: true }).fill(person.name);
	await page.getByLabel('Email address').fill(person.email);
	await page.getByLabel('Password', { exact: true }).fill(person.password);
	await page.getByRole('button', { name: 'Create account and join' }).click();
	await expect(page).toHaveURL(/\/teams\/[^/]+\?welcome=1$/);
}

/** A new person, in a new browser context, joins through the link. */
export async function joinWithInvite(
	browser: Browser,
	link: string,
	person: Person = newPerson()
): Promise<SignedInPerson> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signUpWithInvite(page, link, person);
	return { ...person, context, page };
}

/** One signed-in person per requested role, in the order asked for (a tuple, so no undefined). */
export type PeopleWithRoles<R extends readonly Role[]> = {
	[K in keyof R]: SignedInPerson & { role: R[K] };
};

export interface TeamWithBoard<R extends readonly Role[]> {
	team: { id: string; name: string };
	board: { id: string; name: string; url: string };
	/** ORG_ADMIN, signed in, admin of the team. */
	admin: SignedInPerson;
	/** One new person per requested role, signed in, in the order asked for. */
	people: PeopleWithRoles<R>;
}

/** A new team with one empty board, and new people in it with the given roles. */
export async function setUpTeamWithBoard<const R extends readonly Role[] = []>(
	browser: Browser,
	options: { roles?: R; teamName?: string; boardName?: string } = {}
): Promise<TeamWithBoard<R>> {
	const admin = await signInNewContext(browser, { ...ORG_ADMIN });
	// The language follows the account, and some specs switch the shared admin to Swedish: every
	// spec that sets up a board starts from English, whatever ran before it.
	await useEnglish(admin.page);
	const teamName = options.teamName ?? `Team ${uniqueSuffix()}`;
	const boardName = options.boardName ?? 'Förbättringar';
	const teamId = await createTeam(admin.page, teamName);
	const boardId = await createBoard(admin.page, teamId, boardName);
	const people: (SignedInPerson & { role: Role })[] = [];
	for (const role of options.roles ?? []) {
		const link = await createInviteLink(admin.page, teamId, role);
		people.push({ ...(await joinWithInvite(browser, link, newPerson(role))), role });
	}
	return {
		team: { id: teamId, name: teamName },
		board: { id: boardId, name: boardName, url: `/boards/${boardId}` },
		admin,
		// One entry per requested role, in order: exactly the tuple type promises.
		people: people as unknown as PeopleWithRoles<R>
	};
}

/** Switches the signed-in person's language to English (the button has the same name in both). */
export async function useEnglish(page: Page): Promise<void> {
	// A page rendered now, in the account's language (not the sign-in page, rendered before it).
	await page.goto('/');
	const english = page.getByRole('button', { name: 'English' });
	if ((await english.getAttribute('aria-pressed')) === 'true') return;
	await english.click();
	await expect(english).toHaveAttribute('aria-pressed', 'true');
}

export async function closeAll(people: readonly { context: BrowserContext }[]): Promise<void> {
	for (const person of people) await person.context.close();
}
