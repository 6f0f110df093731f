/**
 * S5: a person opens a 1,000-card board in headless Chromium, against the production build
 * (adapter-node handler + sync server, as `npm start` runs it) on Postgres, signed in by session
 * cookie. Figures (from navigation start, measured in the page):
 *   first card    the first card element is in the DOM
 *   interactive   all 1,000 cards are in the DOM, the board says "saved", and the main thread
 *                 is free: the later of those and the end of the last long task (a 10 ms heartbeat
 *                 running > 60 ms late), checked after 100 ms without one
 *   JS heap       used heap after a forced collection, once interactive
 * The build is made in build-bench/ (TILLIT_BUILD_DIR) when missing or older than the sources.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import * as Y from 'yjs';
import { FLOW_STAGES } from '../../src/lib/board/stages';
import { seedCards } from '../lib/board';
import type { ScenarioContext } from '../lib/harness';
import { connectYWebsocket } from '../lib/clients';
import { tillitServerEnv } from '../lib/peers';
import { freePort } from '../lib/ports';
import { round, sleep, summarize, waitUntil } from '../lib/stats';
import { seedTillit } from '../lib/tillit-fixture';

const CARDS = 1000;
const BUILD_DIR = 'build-bench';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function newestMtime(target: string): number {
	if (!existsSync(target)) return 0;
	const stat = statSync(target);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = 0;
	for (const name of readdirSync(target)) {
		if (name === 'paraglide') continue; // generated
		newest = Math.max(newest, newestMtime(path.join(target, name)));
	}
	return newest;
}

function ensureBuild(repoRoot: string): string | null {
	const entry = path.join(repoRoot, BUILD_DIR, 'server', 'index.js');
	const sources = ['src', 'server', 'messages', 'static', 'svelte.config.js', 'vite.config.ts'];
	const newest = Math.max(...sources.map((s) => newestMtime(path.join(repoRoot, s))));
	if (existsSync(entry) && statSync(entry).mtimeMs >= newest) return entry;
	process.stdout.write(`   S5 building the production app into ${BUILD_DIR}/ …\n`);
	const result = spawnSync('npm', ['run', 'build'], {
		cwd: repoRoot,
		env: { ...process.env, TILLIT_BUILD_DIR: BUILD_DIR },
		stdio: ['ignore', 'ignore', 'pipe'],
		encoding: 'utf8'
	});
	if (result.status !== 0) {
		process.stdout.write(`   S5 build failed:\n${(result.stderr ?? '').slice(-2000)}\n`);
		return null;
	}
	return entry;
}

/** Injected before any page script: records when cards appear and every long task. */
const PAGE_PROBE = `
	window.__s5 = { firstCard: null, allCards: null, saved: null, longTaskEnds: [], wsCreated: null, wsOpen: null, wsFirstMessage: null, wsBytes: 0 };
	const NativeWebSocket = window.WebSocket;
	window.WebSocket = class extends NativeWebSocket {
		constructor(...args) {
			super(...args);
			if (window.__s5.wsCreated === null) window.__s5.wsCreated = performance.now();
			this.addEventListener('open', () => { if (window.__s5.wsOpen === null) window.__s5.wsOpen = performance.now(); });
			this.addEventListener('message', (event) => {
				if (window.__s5.wsFirstMessage === null) window.__s5.wsFirstMessage = performance.now();
				window.__s5.wsBytes += event.data.byteLength ?? event.data.size ?? 0;
			});
		}
	};
	// A busy main thread shows as a late heartbeat (the longtask API is not reliable headless):
	// every gap over 50 ms counts as a long task ending when the heartbeat finally runs.
	let lastBeat = performance.now();
	setInterval(() => {
		const now = performance.now();
		if (now - lastBeat > 60) window.__s5.longTaskEnds.push(now);
		lastBeat = now;
	}, 10);
	new MutationObserver(() => {
		const now = performance.now();
		const cards = document.querySelectorAll('[data-card-id]').length;
		if (cards > 0 && window.__s5.firstCard === null) window.__s5.firstCard = now;
		if (cards >= ${CARDS} && window.__s5.allCards === null) window.__s5.allCards = now;
		if (window.__s5.saved === null && document.querySelector('[data-connection="saved"]')) window.__s5.saved = now;
	}).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-connection'] });
`;

interface Probe {
	firstCard: number | null;
	allCards: number | null;
	saved: number | null;
	longTaskEnds: number[];
	wsCreated: number | null;
	wsOpen: number | null;
	wsFirstMessage: number | null;
	wsBytes: number;
	domContentLoaded?: number;
	longTaskTotal?: number;
}

export async function runS5(context: ScenarioContext): Promise<void> {
	if (!context.peers.includes('tillit')) return;
	if (!existsSync(CHROMIUM)) {
		context.report.note('S5', `not run: no Chromium at ${CHROMIUM}`);
		return;
	}
	const repoRoot = context.peerContext.repoRoot;
	const boardRoute = path.join(repoRoot, 'src', 'routes', 'boards', '[boardId]', '+page.svelte');
	if (!existsSync(boardRoute)) {
		context.report.note('S5', 'not run: the board page does not exist yet');
		return;
	}
	const entry = ensureBuild(repoRoot);
	if (!entry) {
		context.report.note('S5', 'not run: the production build failed');
		return;
	}
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	// The production entry itself (server/index.ts, bundled), exactly as `npm start` runs it.
	const server = spawn(process.execPath, [entry], {
		env: {
			...process.env,
			...tillitServerEnv(context.peerContext.tillitDatabaseUrl, repoRoot),
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: origin
		},
		stdio: ['ignore', 'ignore', 'pipe']
	});
	let stderr = '';
	server.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
	const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
	const healthy = await waitUntil(
		async () => {
			try {
				return (await fetch(`${origin}/healthz`)).ok;
			} catch {
				return false;
			}
		},
		60_000,
		200
	);
	if (!healthy) {
		server.kill('SIGKILL');
		context.report.note('S5', `not run: the production server did not start. ${stderr}`);
		return;
	}
	const fixture = await seedTillit(context.peerContext.tillitDatabaseUrl);
	try {
		const [board] = await fixture.createBoards(1);
		const editor = fixture.editors[0]!;
		// The board's content goes in the way users put it there: through the sync server.
		const seeder = connectYWebsocket(`ws://127.0.0.1:${port}/sync`, board!, new Y.Doc(), {
			headers: { cookie: editor.cookie, origin }
		});
		await seeder.synced;
		// All in the flow's columns (the board shows Parked apart, and S5 waits for every card),
		// each with what its stage's gate needs, or the server would put it back in Proposed.
		seedCards(seeder.doc, CARDS, { userId: editor.id, stages: FLOW_STAGES });
		await waitUntil(() => {
			const log = seeder.current();
			return (log?.acks[log.acks.length - 1]?.count ?? 0) >= (log?.sent.length ?? 1);
		}, 30_000);
		seeder.destroy();

		const runs = context.full ? 7 : 3;
		const firstCard: number[] = [];
		const interactive: number[] = [];
		const heap: number[] = [];
		const timelines: Probe[] = [];
		const browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage']
		});
		try {
			for (let run = 0; run < runs; run++) {
				const browserContext = await browser.newContext({ locale: 'en-GB' });
				const [name, value] = editor.cookie.split('=') as [string, string];
				await browserContext.addCookies([{ name, value, url: origin }]);
				await browserContext.addInitScript(PAGE_PROBE);
				const page = await browserContext.newPage();
				// BENCH_S5_PROFILE=<file>: a CPU profile of the first page load (open it in DevTools).
				const profileFile = run === 0 ? process.env.BENCH_S5_PROFILE : undefined;
				const profiler = profileFile ? await browserContext.newCDPSession(page) : null;
				if (profiler) {
					await profiler.send('Profiler.enable');
					await profiler.send('Profiler.setSamplingInterval', { interval: 200 });
					await profiler.send('Profiler.start');
				}
				await page.goto(`${origin}/boards/${board}`);
				try {
					await page.waitForFunction(
						() => {
							const probe = (window as unknown as { __s5: Probe }).__s5;
							if (probe.allCards === null || probe.saved === null) return false;
							const lastLongTask = Math.max(0, ...probe.longTaskEnds);
							return performance.now() - Math.max(probe.allCards, probe.saved, lastLongTask) > 100;
						},
						undefined,
						{ timeout: 60_000, polling: 20 }
					);
				} catch (error) {
					const state = await page.evaluate(() => ({
						cards: document.querySelectorAll('[data-card-id]').length,
						connection: document
							.querySelector('[data-connection]')
							?.getAttribute('data-connection'),
						title: document.title
					}));
					throw new Error(
						`the board never became interactive: ${state.cards} cards shown, connection "${state.connection}", page "${state.title}"`,
						{ cause: error }
					);
				}
				if (profiler && profileFile) {
					const { profile } = (await profiler.send('Profiler.stop')) as { profile: unknown };
					writeFileSync(profileFile, JSON.stringify(profile));
				}
				const probe = await page.evaluate(() => {
					const data = (window as unknown as { __s5: Probe }).__s5;
					const navigation = performance.getEntriesByType('navigation')[0] as
						PerformanceNavigationTiming | undefined;
					return {
						...data,
						domContentLoaded: navigation?.domContentLoadedEventEnd ?? 0,
						longTaskTotal: data.longTaskEnds.length
					};
				});
				timelines.push(probe);
				const session = await browserContext.newCDPSession(page);
				await session.send('HeapProfiler.collectGarbage');
				const usage = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
				firstCard.push(probe.firstCard!);
				interactive.push(Math.max(probe.allCards!, probe.saved!, ...probe.longTaskEnds));
				heap.push(usage.usedSize / 1024 ** 2);
				await browserContext.close();
			}
		} finally {
			await browser.close();
		}
		const first = summarize(firstCard);
		const ready = summarize(interactive);
		const memory = summarize(heap);
		context.report.record({
			scenario: 'S5',
			peer: 'tillit',
			cards: CARDS,
			runs,
			firstCardMs: round(first.p50, 0),
			interactiveMs: round(ready.p50, 0),
			interactiveMaxMs: round(ready.max, 0),
			heapMB: round(memory.p50, 1)
		});
		const median = (pick: (probe: Probe) => number | null | undefined) =>
			summarize(timelines.map((probe) => pick(probe) ?? Number.NaN)).p50;
		const timeline = {
			domContentLoadedMs: round(
				median((p) => p.domContentLoaded),
				0
			),
			socketCreatedMs: round(
				median((p) => p.wsCreated),
				0
			),
			socketOpenMs: round(
				median((p) => p.wsOpen),
				0
			),
			firstMessageMs: round(
				median((p) => p.wsFirstMessage),
				0
			),
			socketKB: round(median((p) => p.wsBytes) / 1024, 0),
			longTasks: round(
				median((p) => p.longTaskTotal),
				0
			)
		};
		context.report.record({ scenario: 'S5 timeline', peer: 'tillit', ...timeline });
		process.stdout.write(
			`   S5 timeline (p50 ms from navigation): DOMContentLoaded ${timeline.domContentLoadedMs}, socket created ${timeline.socketCreatedMs}, open ${timeline.socketOpenMs}, first message ${timeline.firstMessageMs}, ${timeline.socketKB} KB received; ${timeline.longTasks} long tasks (heartbeat gaps > 60 ms)\n`
		);
		process.stdout.write(
			`   S5 tillit  ${CARDS} cards: first card ${first.p50.toFixed(0)} ms, interactive ${ready.p50.toFixed(0)} ms (max ${ready.max.toFixed(0)}), JS heap ${memory.p50.toFixed(1)} MB (p50 of ${runs})\n`
		);
	} finally {
		server.kill('SIGTERM'); // graceful: the server flushes and closes its database
		await Promise.race([exited, sleep(10_000)]);
		if (server.exitCode === null) server.kill('SIGKILL');
		await fixture.close();
	}
}
