/**
 * Issue 5's pages through the real server: someone of another team, named as affected on a card,
 * finds it under "Waiting for your input", opens the card's own view (never the board), gives
 * input that the team sees live; the team's follow-up list and the standards library render, and
 * axe finds nothing serious on any of them. The card is written with the stock y-websocket client
 * (as the board would), so this spec does not depend on the board's UI.
 */
import { expect, test } from '@playwright/test';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { cardsMap, createCard } from '../../src/lib/board/document';
import {
	cardDetailText,
	cycleText,
	initCardDetail,
	readCardDetail,
	setAffected,
	setCycleField,
	setStandardFields,
	standardText
} from '../../src/lib/board/pdca';
import { SESSION_COOKIE } from '../../src/lib/server/session';
import { MessageType } from '../../src/lib/sync/protocol';
import type { BoardPeopleResponse, CardEventsResponse } from '../../src/lib/types';
import { expectNoSeriousA11yViolations } from './helpers/axe';
import {
	closeAll,
	createBoard,
	createInviteLink,
	createTeam,
	joinWithInvite,
	newPerson,
	setUpTeamWithBoard,
	uniqueSuffix
} from './helpers/accounts';

test('a person of another team answers one card; follow-up and standards pages', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(120_000);
	const { team, board, admin } = await setUpTeamWithBoard(browser);
	const schoolId = await createTeam(admin.page, `Skolan ${uniqueSuffix()}`);
	const teacher = await joinWithInvite(
		browser,
		await createInviteLink(admin.page, schoolId, 'member'),
		newPerson('Teacher')
	);
	const people = (await (
		await admin.page.request.get(`/api/boards/${board.id}/people`)
	).json()) as BoardPeopleResponse;
	const teacherId = people.people.find((p) => p.name === teacher.name)?.id;
	expect(people.people.find((p) => p.name === teacher.name)?.isTeamMember).toBe(false);
	if (!teacherId) throw new Error('the teacher is not among the people');

	// The team's card, written through the sync socket with the admin's session, as the board would.
	const origin = new URL(baseURL!).origin;
	const session = (await admin.context.cookies()).find((c) => c.name === SESSION_COOKIE)!;
	const headers = { origin, cookie: `${SESSION_COOKIE}=${session.value}` };
	class HeaderWebSocket extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers });
		}
	}
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(`${origin.replace('http', 'ws')}/sync`, board.id, doc, {
		WebSocketPolyfill: HeaderWebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
	// Tillit's own messages (saved, access, refused moves) mean nothing to this script.
	for (const type of [MessageType.persisted, MessageType.access, MessageType.moveRefused]) {
		provider.messageHandlers[type] = () => {};
	}
	try {
		await expect.poll(() => provider.synced).toBe(true);
		const title = `Skolskjuts ${uniqueSuffix()}`;
		const cardId = createCard(doc, { title, beneficiary: 'Elever i åk 7', userId: 'admin' });
		doc.transact(() => {
			initCardDetail(doc, cardId, { id: 'admin', name: 'Agnes Admin' });
			cardDetailText(doc, cardId, 'problem')!.insert(0, 'Eleverna kommer för sent');
			setCycleField(doc, cardId, 1, {
				key: 'dialogue',
				value: { question: 'Kommer de i tid?', withWhom: 'Skolan' }
			});
			cycleText(doc, cardId, 1, 'result')!.insert(0, 'Oftare i tid');
			setAffected(doc, cardId, { id: teacherId, name: teacher.name }, true);
		});
		for (const stage of ['plan', 'do', 'check']) {
			cardsMap(doc)
				.get(cardId)!
				.set('place', { stage, rank: 'a0', movedAt: Date.now(), movedBy: 'admin' });
		}
		await expect
			.poll(async () => {
				const response = await admin.page.request.get(
					`/api/boards/${board.id}/cards/${cardId}/events`
				);
				return ((await response.json()) as CardEventsResponse).events.map((e) => e.toStage);
			})
			.toEqual(['proposed', 'plan', 'do', 'check']);

		// The teacher finds it in their follow-up and opens the card's own view.
		const page = teacher.page;
		await page.getByRole('link', { name: 'My follow-up' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'My follow-up' })).toBeVisible();
		const waiting = page.getByRole('region', { name: 'Waiting for your input' });
		await expectNoSeriousA11yViolations(page, 'my follow-up');
		await waiting.getByRole('link', { name: title }).click();
		await expect(page).toHaveURL(new RegExp(`/cards/${board.id}/${cardId}$`));
		await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expect(page.getByText('Eleverna kommer för sent')).toBeVisible();
		await expectNoSeriousA11yViolations(page, 'guest card');

		// Concerns need words; then the input is saved and reaches the team live.
		await page.getByLabel('I have concerns').check();
		await page.getByRole('button', { name: 'Send input' }).click();
		await expect(page.getByText('Write what concerns you or what you suggest.')).toBeVisible();
		await page.getByLabel('Your comment').fill('Bussen går 7.40');
		await page.getByRole('button', { name: 'Send input' }).click();
		await expect(page.getByRole('status')).toContainText('Your input is saved');
		await expect
			.poll(() => readCardDetail(doc, cardId)?.inputs.map((i) => [i.userId, i.kind, i.text]))
			.toEqual([[teacherId, 'concerns', 'Bussen går 7.40']]);
		await page.goto('/me');
		await expect(waiting.getByRole('link', { name: title })).toHaveCount(0);

		// Nothing else of the board: the board page and its API do not exist for them.
		const boardResponse = await page.goto(board.url);
		expect(boardResponse?.status()).toBe(404);
		expect((await page.request.get(`/api/boards/${board.id}/people`)).status()).toBe(404);

		// The guests API: bad input is refused with a message, a team member cannot be a guest, a
		// person of another team is added and removed by the team, and an outsider cannot add anyone.
		const guests = `/api/boards/${board.id}/cards/${cardId}/guests`;
		// The Origin a browser sends with every such request (the server refuses requests without).
		const headers = { origin: new URL(admin.page.url()).origin };
		const bad = await admin.page.request.post(guests, { headers, data: { userId: 'not an id!' } });
		expect(bad.status()).toBe(400);
		expect(((await bad.json()) as { message: string }).message).toBe(
			"Send a JSON body with the person's userId."
		);
		const member = people.people.find((p) => p.isTeamMember)!;
		const self = await admin.page.request.post(guests, { headers, data: { userId: member.id } });
		expect(self.status()).toBe(400);
		expect(
			(await admin.page.request.post(guests, { headers, data: { userId: teacherId } })).status()
		).toBe(204);
		expect(
			(await admin.page.request.get(`/api/boards/${board.id}/cards/no-such-card/events`)).status()
		).toBe(404);
		expect(
			(await page.request.post(guests, { headers, data: { userId: teacherId } })).status()
		).toBe(404);
		expect(
			(await admin.page.request.delete(guests, { headers, data: { userId: teacherId } })).status()
		).toBe(204);

		// The team's follow-up list names the card (in Check, no follow-up date) and the library renders.
		await admin.page.goto(`/teams/${team.id}`);
		await admin.page.getByRole('link', { name: 'Follow-up', exact: true }).click();
		await expect(
			admin.page
				.getByRole('region', { name: 'No follow-up set' })
				.getByRole('link', { name: title })
		).toBeVisible();
		await expectNoSeriousA11yViolations(admin.page, 'team follow-up');
		await admin.page.getByRole('link', { name: 'Standards', exact: true }).first().click();
		await expect(admin.page.getByRole('heading', { level: 1, name: 'Standards' })).toBeVisible();
		await admin.page.getByLabel(/^Search in title/).fill('100%_ingen');
		await admin.page.getByRole('button', { name: 'Search' }).click();
		await expect(admin.page.getByText('No standard matches “100%_ingen”.')).toBeVisible();
		await expectNoSeriousA11yViolations(admin.page, 'standards');

		// The team's card becomes a standard (the teacher's input is in, so Act may be left; the
		// Standard gate needs the standard written out, with an owner and a review date) …
		doc.transact(() => {
			standardText(doc, cardId)!.insert(0, 'Läxhjälp varje tisdag');
			setStandardFields(doc, cardId, {
				owner: { id: 'admin', name: 'Agnes Admin' },
				reviewDate: '2027-06-01'
			});
			setCycleField(doc, cardId, 1, {
				key: 'decision',
				value: {
					kind: 'adopt',
					reasons: 'Fler elever i tid',
					by: { id: 'admin', name: 'Agnes Admin' },
					at: Date.now(),
					decidedAnyway: null,
					inputs: []
				}
			});
		});
		for (const stage of ['act', 'standard']) {
			cardsMap(doc)
				.get(cardId)!
				.set('place', { stage, rank: 'a0', movedAt: Date.now(), movedBy: 'admin' });
		}
		await expect
			.poll(async () => {
				const response = await admin.page.request.get(
					`/api/boards/${board.id}/cards/${cardId}/events`
				);
				return ((await response.json()) as CardEventsResponse).events.at(-1)?.toStage;
			})
			.toBe('standard');
		// … which the school adopts onto its own board, from the library.
		const schoolBoard = await createBoard(admin.page, schoolId, `Skolans tavla ${uniqueSuffix()}`);
		await admin.page.goto(`/standards?q=${encodeURIComponent(title)}`);
		const entry = admin.page.getByRole('listitem').filter({ hasText: title });
		await entry.getByLabel('Adopt onto board').selectOption(schoolBoard);
		await entry.getByRole('button', { name: /^Adopt in my team/ }).click();
		const adopted = admin.page.getByRole('status');
		await expect(adopted).toContainText(`“${title}” is now a proposal on`);
		await expect(adopted.getByRole('link', { name: 'Open the new card' })).toHaveAttribute(
			'href',
			new RegExp(`^/boards/${schoolBoard}\\?card=`)
		);
		await expectNoSeriousA11yViolations(admin.page, 'standards after adopting');
	} finally {
		provider.destroy();
		doc.destroy();
		await closeAll([admin, teacher]);
	}
});
