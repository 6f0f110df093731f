/**
 * How fast a big board opens in a browser (BENCHMARKS.md S5, measured by hand until the bench
 * has a browser scenario): time to first card, to all cards, to draggable, and the JS heap.
 *
 *   TILLIT_BUILD_DIR=build-d npm run build
 *   npx esbuild scripts/measure-board-load.ts --bundle --platform=node --format=esm \
 *     --packages=external --outfile=node_modules/.cache/tillit/measure-board-load.mjs
 *   TILLIT_BUILD_DIR=build-d node node_modules/.cache/tillit/measure-board-load.mjs [cards] [runs] [port]
 *
 * It starts the production server on a fresh PGlite folder, creates the organisation, a team and
 * a board through the UI, writes the cards through the sync endpoint with the stock y-websocket
 * client (batches of 250, the document's exact shape via document.ts), waits until the server
 * confirms them as saved, then opens the board `runs` times in new browser contexts ("cold": no
 * local copy, everything comes over the socket) and `runs` times by reloading ("warm": the local
 * IndexedDB copy is there too). Times are from navigation start, read inside the page
 * (performance.now()), so Playwright's own overhead is not counted. Prints figures; passes no
 * judgement.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { WebSocket as NodeWebSocket } from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import * as decoding from 'lib0/decoding';
import { generateNKeysBetween } from 'fractional-indexing';
import { cardsMap, type CardPlace } from '../src/lib/board/document';
import { FLOW_STAGES } from '../src/lib/board/stages';
import { MessageType } from '../src/lib/sync/protocol';

const cardCount = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 5);
const port = Number(process.argv[4] ?? 4419);
const buildDir = process.env.TILLIT_BUILD_DIR || 'build';
const base = `http://127.0.0.1:${port}`;
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function startServer(dataDir: string): Promise<ChildProcess> {
	const server = spawn('node', [path.join(buildDir, 'server/index.js')], {
		env: {
			...process.env,
			NODE_ENV: 'production',
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: base,
			TILLIT_DATA_DIR: dataDir,
			LOG_LEVEL: 'warn',
			DATABASE_URL: ''
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	for (let i = 0; i < 120; i++) {
		try {
			if ((await fetch(`${base}/healthz`)).ok) return server;
		} catch {
			// not up yet
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	server.kill();
	throw new Error('server did not start');
}

async function createBoard(
	browser: Browser
): Promise<{ boardUrl: string; context: BrowserContext }> {
	const context = await browser.newContext({
		locale: 'en-GB',
		viewport: { width: 1920, height: 1080 }
	});
	const page = await context.newPage();
	await page.goto(`${base}/setup`);
	await page.getByLabel('Name of the organisation').fill('Mätkommunen');
	await page.getByLabel('Name', { exact: true }).fill('Mätta Admin');
	await page.getByLabel('Email address').fill('admin@measure.example');
	await page.getByLabel('Password').fill('a long measuring passphrase');
	await page.getByRole('button', { name: 'Create the organisation' }).click();
	await page.waitForURL(/\/admin$/);
	await page.getByLabel('Name of the team').fill('Hemtjänst Norr');
	await page.getByRole('button', { name: 'Create the team' }).click();
	await page.waitForURL(/\/teams\//);
	await page.getByLabel('Name of the board').fill('Stor tavla');
	await page.getByRole('button', { name: 'Create the board' }).click();
	await page.waitForURL(/\/boards\//);
	const boardUrl = page.url();
	await page.close();
	return { boardUrl, context };
}

/** Writes the cards through /sync with the stock client; resolves once the server says they are saved. */
async function seedCards(boardId: string, cookie: string): Promise<void> {
	class CookieWebSocket extends NodeWebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { headers: { cookie, origin: base } });
		}
	}
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/sync`, boardId, doc, {
		WebSocketPolyfill: CookieWebSocket as unknown as typeof WebSocket,
		disableBc: true
	});
	let acknowledged = 0;
	provider.messageHandlers[MessageType.persisted] = (_encoder, decoder) => {
		acknowledged = decoding.readVarUint(decoder);
	};
	// Tillit's other server messages mean nothing to a seeding script.
	provider.messageHandlers[MessageType.access] = () => {};
	provider.messageHandlers[MessageType.moveRefused] = () => {};
	await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
	const ranks = generateNKeysBetween(null, null, cardCount);
	const now = Date.now();
	const batch = 250;
	let messages = 1; // the handshake's SyncStep2
	for (let start = 0; start < cardCount; start += batch) {
		doc.transact(() => {
			for (let n = start; n < Math.min(cardCount, start + batch); n++) {
				const card = new Y.Map<unknown>();
				const id = `card-${n}`;
				card.set('id', id);
				card.set('title', new Y.Text(`Förbättring ${n}: kortare väntan vid inskrivning`));
				card.set('description', new Y.Text('Beskrivning av idén, några meningar lång.'));
				card.set('beneficiary', 'Brukare i hemtjänsten');
				card.set('place', {
					stage: FLOW_STAGES[n % FLOW_STAGES.length]!,
					rank: ranks[n]!,
					movedAt: now,
					movedBy: 'measure'
				} satisfies CardPlace);
				card.set('cycle', 1);
				card.set('createdAt', now);
				card.set('createdBy', 'measure');
				cardsMap(doc).set(id, card);
			}
		});
		messages++;
	}
	const deadline = Date.now() + 60_000;
	while (acknowledged < messages && Date.now() < deadline)
		await new Promise((r) => setTimeout(r, 50));
	provider.destroy();
	if (acknowledged < messages)
		throw new Error(`server confirmed ${acknowledged}/${messages} messages`);
}

interface Sample {
	firstCard: number;
	allCards: number;
	draggable: number;
	saved: number;
	heapMB: number;
}

/** Runs in the page before any of its scripts: notes when the first and the last card appear. */
function installProbe(expected: number) {
	const marks: Record<string, number> = {};
	(window as unknown as { __boardMarks: Record<string, number> }).__boardMarks = marks;
	const check = () => {
		const now = performance.now();
		const cards = document.querySelectorAll('li[data-card-id]').length;
		if (cards > 0 && marks.firstCard === undefined) marks.firstCard = now;
		if (cards >= expected && marks.allCards === undefined) marks.allCards = now;
		if (
			marks.draggable === undefined &&
			document.querySelector('[aria-roledescription="draggable"]')
		)
			marks.draggable = now;
		if (marks.saved === undefined && document.querySelector('[data-connection="saved"]'))
			marks.saved = now;
	};
	new MutationObserver(check).observe(document, {
		subtree: true,
		childList: true,
		attributes: true
	});
}

async function measure(
	context: BrowserContext,
	boardUrl: string,
	reload: boolean
): Promise<Sample> {
	const page = context.pages()[0] ?? (await context.newPage());
	if (reload) await page.reload();
	else await page.goto(boardUrl);
	await page.waitForFunction(
		() => {
			const marks = (window as unknown as { __boardMarks?: Record<string, number> }).__boardMarks;
			return (
				!!marks &&
				marks.allCards !== undefined &&
				marks.saved !== undefined &&
				marks.draggable !== undefined
			);
		},
		undefined,
		{ timeout: 60_000 }
	);
	const marks = await page.evaluate(
		() => (window as unknown as { __boardMarks: Record<string, number> }).__boardMarks
	);
	const heap = await page.evaluate(
		() =>
			(performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ??
			0
	);
	return {
		firstCard: marks.firstCard!,
		allCards: marks.allCards!,
		draggable: marks.draggable!,
		saved: marks.saved!,
		heapMB: heap / 1024 / 1024
	};
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function report(label: string, samples: Sample[]) {
	const row = (key: keyof Sample, unit: string) =>
		`${key.padEnd(10)} median ${median(samples.map((s) => s[key]))
			.toFixed(0)
			.padStart(6)} ${unit}   ` +
		`min ${Math.min(...samples.map((s) => s[key]))
			.toFixed(0)
			.padStart(6)}   max ${Math.max(...samples.map((s) => s[key]))
			.toFixed(0)
			.padStart(6)}`;
	console.log(`\n${label} (${samples.length} runs, ms from navigation start)`);
	for (const key of ['firstCard', 'allCards', 'draggable', 'saved'] as const)
		console.log('  ' + row(key, 'ms'));
	console.log('  ' + row('heapMB', 'MB'));
}

async function main() {
	const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tillit-measure-'));
	const server = await startServer(dataDir);
	const browser = await chromium.launch({
		executablePath: chromiumPath,
		args: ['--no-sandbox', '--disable-gpu']
	});
	try {
		const { boardUrl, context } = await createBoard(browser);
		const storage = await context.storageState();
		const cookie = storage.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
		const boardId = new URL(boardUrl).pathname.split('/').at(-1)!;
		const t0 = performance.now();
		await seedCards(boardId, cookie);
		console.log(
			`seeded ${cardCount} cards in ${(performance.now() - t0).toFixed(0)} ms (confirmed saved)`
		);
		await context.close();

		const cold: Sample[] = [];
		const warm: Sample[] = [];
		for (let run = 0; run < runs; run++) {
			const fresh = await browser.newContext({
				storageState: storage,
				viewport: { width: 1920, height: 1080 }
			});
			await fresh.addInitScript(installProbe, cardCount);
			cold.push(await measure(fresh, boardUrl, false));
			warm.push(await measure(fresh, boardUrl, true));
			await fresh.close();
		}
		console.log(
			`\nboard with ${cardCount} cards, headless Chromium 1920×1080, server ${buildDir}, ${os.cpus().length} cores`
		);
		report('cold: new browser context, no local copy', cold);
		report('warm: reload, local IndexedDB copy present', warm);
	} finally {
		await browser.close();
		server.kill();
		rmSync(dataDir, { recursive: true, force: true });
	}
}

await main();
// The stock client's timers and sockets do not all unref; the figures are printed, so stop here.
process.exit(0);
