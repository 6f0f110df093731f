/**
 * Issue 10's report through the real server: a manager's cards move through the lifecycle over the
 * sync socket (the stock y-websocket client, as the board would send them); the manager opens the
 * board's flow report from the board, switches the period and a filter, reads a chart's data
 * table, opens a card from the ageing chart; a member is refused; bad input gets a message; axe
 * finds nothing serious; the CSV export opens in Excel (BOM, ';' in Swedish).
 */
import { expect, test, type Page } from '@playwright/test';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createCard } from '../../src/lib/board/document';
import type { Stage } from '../../src/lib/board/stages';
import {
	initCardDetail,
	moveThroughLifecycle,
	setCardField,
	setCycleField
} from '../../src/lib/board/pdca';
import { SESSION_COOKIE } from '../../src/lib/server/session';
import { MessageType } from '../../src/lib/sync/protocol';
import type { CardEventsResponse } from '../../src/lib/types';
import { satisfyGates } from '../helpers/lifecycle';
import { expectNoSeriousA11yViolations } from './helpers/axe';
import { closeAll, setUpTeamWithBoard } from './helpers/accounts';

async function eventsOf(page: Page, boardId: string, cardId: string): Promise<string[]> {
	const response = await page.request.get(`/api/boards/${boardId}/cards/${cardId}/events`);
	return ((await response.json()) as CardEventsResponse).events.map((e) => e.toStage);
}

test('a manager reads the flow report, filters it, reads a table and opens an ageing card', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(180_000);
	const { board, admin, people } = await setUpTeamWithBoard(browser, {
		roles: ['manager', 'member'] as const
	});
	const [manager, member] = people;

	const origin = new URL(baseURL!).origin;
	const session = (await manager.context.cookies()).find((c) => c.name === SESSION_COOKIE)!;
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
	for (const type of [MessageType.persisted, MessageType.access, MessageType.moveRefused]) {
		provider.messageHandlers[type] = () => {};
	}
	try {
		await expect.poll(() => provider.synced).toBe(true);
		const me = { id: 'manager', name: manager.name };
		const cards: Record<string, string> = {};
		const add = (key: string, beneficiary: string, label: string | null) => {
			const id = createCard(doc, { title: `Idé ${key}`, beneficiary, userId: me.id });
			initCardDetail(doc, id, me);
			if (label) setCardField(doc, id, { key: 'labels', value: [label] });
			satisfyGates(doc, id);
			cards[key] = id;
		};
		add('Frukost', 'Boende', 'quality');
		add('Nycklar', 'Boende', 'safety');
		add('Schema', 'Personal', null);
		add('Larm', 'Boende', 'safety');
		const path: Record<string, Stage[]> = {
			Frukost: ['plan', 'do', 'check', 'act', 'standard'],
			Nycklar: ['plan', 'do', 'check', 'act', 'standard'],
			Schema: ['plan', 'do'],
			Larm: ['plan']
		};
		for (const [key, stages] of Object.entries(path)) {
			const id = cards[key]!;
			for (const stage of stages) {
				if (stage === 'standard') {
					setCycleField(doc, id, 1, {
						key: 'decision',
						value: {
							kind: 'adopt',
							reasons: 'Det fungerar',
							by: me,
							at: Date.now(),
							decidedAnyway: null,
							inputs: []
						}
					});
				}
				expect(moveThroughLifecycle(doc, id, { stage, index: 0, userId: me.id })).toMatchObject({
					ok: true
				});
				await expect.poll(() => eventsOf(manager.page, board.id, id)).toContain(stage);
			}
		}

		// The manager finds the report on the board.
		const page = manager.page;
		await page.goto(board.url);
		await page.getByRole('link', { name: 'Flow report' }).click();
		await expect(page.getByRole('heading', { level: 1, name: /^Flow report/ })).toBeVisible();
		const cycle = page.getByRole('region', { name: 'Cycle time per finished card' });
		await expect(cycle).toContainText('2 cards finished in the period');
		await expect(cycle).toContainText('50 % took at most 1 days');
		await expect(page.getByRole('region', { name: 'The idea funnel' })).toContainText(
			'4 ideas were proposed; 4 were started and 2 became a standard.'
		);
		await expectNoSeriousA11yViolations(page, 'flow report');

		// Reads a chart's data table.
		const throughput = page.getByRole('region', { name: 'Throughput' });
		await throughput.getByText('Show the data as a table').click();
		const daily = throughput.getByRole('table', { name: 'Throughput' });
		await expect(daily).toBeVisible();
		await expect(daily.getByRole('row')).toHaveCount(85); // 84 days + the header
		await expect(throughput.getByRole('table', { name: 'Weekly totals' })).toBeVisible();

		// Switches the period (a past month: nothing finished then) and back with a preset.
		await page.getByLabel('From').fill('2025-01-01');
		await page.getByLabel('To', { exact: true }).fill('2025-01-31');
		await page.getByRole('button', { name: 'Show report' }).click();
		await expect(page).toHaveURL(/from=2025-01-01&to=2025-01-31/);
		await expect(cycle).toContainText('No cards in this period.');
		await page.getByRole('link', { name: 'Last 4 weeks' }).click();
		await expect(cycle).toContainText('2 cards finished in the period');

		// Filters by label: one finished card and one in progress carry "safety".
		await page.getByLabel('Label').selectOption('safety');
		await page.getByRole('button', { name: 'Show report' }).click();
		await expect(page).toHaveURL(/label=safety/);
		await expect(cycle).toContainText('1 cards finished in the period');
		const ageing = page.getByRole('region', { name: 'Ageing work in progress' });
		await expect(ageing).toContainText('1 cards in progress');
		await expectNoSeriousA11yViolations(page, 'filtered flow report');

		// Opens a card from the ageing chart (each dot is a link to its card).
		await ageing
			.getByRole('link', { name: /Idé Larm: Plan, 1 days/ })
			.first()
			.click();
		await expect(page).toHaveURL(new RegExp(`/boards/${board.id}\\?card=${cards.Larm}`));
		await expect(page.getByRole('dialog')).toContainText('Idé Larm');

		// Bad input: a clear message, no numbers.
		await page.goto(`${board.url}/flow?from=2026-05-02&to=2026-05-01`);
		await expect(page.getByRole('alert')).toContainText('The period ends before it starts');
		await expect(page.getByRole('region', { name: 'Throughput' })).toHaveCount(0);
		await page.goto(`${board.url}/flow?beneficiary=Ingen`);
		await expect(page.getByRole('alert')).toContainText('No card here has that beneficiary');

		// The export opens in Excel: BOM, and ';' for a Swedish reader.
		const csv = await page.request.get(`${board.url}/flow/cards.csv`, {
			headers: { cookie: `${SESSION_COOKIE}=${session.value}; PARAGLIDE_LOCALE=sv` }
		});
		expect(csv.status()).toBe(200);
		const text = (await csv.body()).toString('utf8');
		expect(text.startsWith('\uFEFFboard;board_id;card_id;title')).toBe(true);
		expect(text).toContain('Idé Frukost');

		// A member may not read the report or its exports; the team page offers no link.
		expect((await member.page.goto(`${board.url}/flow`))?.status()).toBe(403);
		expect((await member.page.request.get(`${board.url}/flow/events.csv`)).status()).toBe(403);
	} finally {
		provider.destroy();
		doc.destroy();
		await closeAll([admin, ...people]);
	}
});
