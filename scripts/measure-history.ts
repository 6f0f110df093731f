/**
 * Figures for the history lane (issue 13): import and export time and peak memory for a 10,000-card
 * board and a 100-board organisation, and what history costs in storage per 1,000 edits.
 *
 *   npx esbuild scripts/measure-history.ts --bundle --platform=node --format=esm \
 *     --packages=external --outfile=node_modules/.cache/tillit/measure-history.mjs
 *   node --expose-gc node_modules/.cache/tillit/measure-history.mjs [DATABASE_URL]
 *
 * Runs on a fresh in-memory PGlite (or the empty Postgres database given). Peak memory is the
 * highest RSS and heap sampled every 5 ms during the step, minus the value before it. Prints
 * figures; passes no judgement.
 */
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as Y from 'yjs';
import { cardsMap, createCard } from '../src/lib/board/document';
import { STAGES } from '../src/lib/board/stages';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { openDatabase } from '../src/lib/server/db/open';
import { exportJson } from '../src/lib/server/export/org-export';
import { applyImport } from '../src/lib/server/import/apply';
import { readCsv } from '../src/lib/server/import/csv';

async function measure<T>(label: string, work: () => Promise<T>): Promise<T> {
	(globalThis as { gc?: () => void }).gc?.();
	const before = process.memoryUsage();
	let rss = before.rss;
	let heap = before.heapUsed;
	const timer = setInterval(() => {
		const now = process.memoryUsage();
		rss = Math.max(rss, now.rss);
		heap = Math.max(heap, now.heapUsed);
	}, 5);
	const started = performance.now();
	const value = await work();
	const ms = performance.now() - started;
	clearInterval(timer);
	const mb = (bytes: number) => (bytes / 1048576).toFixed(0);
	console.log(
		`${label}: ${(ms / 1000).toFixed(2)} s, peak RSS +${mb(rss - before.rss)} MB, peak heap +${mb(heap - before.heapUsed)} MB`
	);
	return value;
}

function csvOf(count: number): Uint8Array {
	const rows = ['title,problem,who it is for,stage,created_at,plan_at'];
	for (let i = 0; i < count; i++) {
		rows.push(
			`Kort ${i}: kortare väntetid,Det tar för lång tid i dag (${i}),Boende,${STAGES[i % 6]},2026-01-01,2026-02-01`
		);
	}
	return new TextEncoder().encode(rows.join('\n'));
}

const database = await openDatabase({ databaseUrl: process.argv[2] });
await migrateToLatest(database.db, path.resolve('migrations'));
const db = database.db;
await db.insertInto('organisations').values({ id: 'org_m', name: 'Mätkommunen' }).execute();
await db
	.insertInto('users')
	.values({
		id: 'usr_m',
		organisation_id: 'org_m',
		email: 'm@example.se',
		name: 'Mät Person',
		password_hash: 'x'
	})
	.execute();
await db
	.insertInto('teams')
	.values({ id: 'team_m', organisation_id: 'org_m', name: 'Mätteam' })
	.execute();
const user = { id: 'usr_m', name: 'Mät Person' };
console.log(`database: ${database.kind}`);

// 10,000-card board: read (CSV) + write, then export.
const csv = csvOf(10_000);
console.log(`CSV of 10,000 cards: ${(csv.byteLength / 1024).toFixed(0)} KB`);
const big = await measure('import 10,000 cards (read + write)', async () => {
	const reading = readCsv(csv, 'Stor tavla');
	if (!reading.ok) throw new Error(reading.code);
	return applyImport(db, { teamId: 'team_m', user, plan: reading.plan, boardName: 'Stor tavla' });
});
let bytes = 0;
await measure('export the 10,000-card board as JSON', async () => {
	for await (const piece of exportJson(db, {
		kind: 'board',
		organisationId: 'org_m',
		teamId: 'team_m',
		boardId: big.boardId
	})) {
		bytes += piece.length;
	}
});
console.log(`  export size: ${(bytes / 1048576).toFixed(1)} MB`);

// 100-board organisation of 100 cards each (the big board too).
const hundred = readCsv(csvOf(100), 'Tavla');
if (!hundred.ok) throw new Error(hundred.code);
await measure('import 100 boards of 100 cards', async () => {
	for (let i = 0; i < 100; i++) {
		await applyImport(db, { teamId: 'team_m', user, plan: hundred.plan, boardName: `Tavla ${i}` });
	}
});
bytes = 0;
await measure('export the organisation (101 boards, 20,000 cards) as JSON', async () => {
	for await (const piece of exportJson(db, { kind: 'organisation', organisationId: 'org_m' })) {
		bytes += piece.length;
	}
});
console.log(`  export size: ${(bytes / 1048576).toFixed(1)} MB`);

// History storage: 1,000 edits (one keystroke each) on a 100- and a 1,000-card board.
for (const cards of [100, 1000]) {
	const doc = new Y.Doc();
	for (let i = 0; i < cards; i++) createCard(doc, { title: `Kort ${i}`, userId: 'usr_m' });
	const ids = [...cardsMap(doc).keys()];
	let logBytes = 0;
	doc.on('update', (update: Uint8Array) => (logBytes += update.byteLength));
	for (let i = 0; i < 1000; i++) {
		(
			cardsMap(doc)
				.get(ids[i % ids.length]!)!
				.get('title') as Y.Text
		).insert(0, 'x');
	}
	const point = gzipSync(Y.encodeStateAsUpdate(doc)).byteLength;
	console.log(
		`${cards}-card board, 1,000 edits: update log ${(logBytes / 1024).toFixed(0)} KB; one version point (gzip'd state) ${(point / 1024).toFixed(0)} KB`
	);
}
await database.close();
