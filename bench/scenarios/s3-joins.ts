/**
 * S3: joins. 10 clients join (one after another) boards of 100 / 1,000 / 10,000 cards and a
 * churned board (1,000 cards after 20,000 moves), while a holder keeps the board loaded. Figures:
 * join time (socket opened → first sync complete) p50/p99 and bytes received for it. For Tillit
 * also a cold join: the first join after a restart, which loads the board from Postgres.
 */
import * as Y from 'yjs';
import { moveStamped, seedCards } from '../lib/board';
import type { SyncClient } from '../lib/clients';
import { cardCount, type ScenarioContext } from '../lib/harness';
import { checkConvergence, recordGate } from '../lib/gates';
import { startPeer, type Peer } from '../lib/peers';
import { round, sleep, summarize, waitUntil } from '../lib/stats';

interface BoardSpec {
	label: string;
	cards: number;
	churnMoves: number;
}

const BOARDS: BoardSpec[] = [
	{ label: '100', cards: 100, churnMoves: 0 },
	{ label: '1k', cards: 1000, churnMoves: 0 },
	{ label: '10k', cards: 10_000, churnMoves: 0 },
	{ label: '1k churned', cards: 1000, churnMoves: 20_000 }
];

export async function runS3(context: ScenarioContext): Promise<void> {
	const joins = context.full ? 30 : 6;
	for (const peerId of context.peers) {
		if (peerId === 'floor') continue; // the relay holds no state to join
		const peer = await startPeer(peerId, context.peerContext);
		try {
			const rooms = await peer.rooms(BOARDS.length);
			const holders: SyncClient[] = [];
			for (const [index, spec] of BOARDS.entries()) {
				holders.push(await seedBoard(peer, rooms[index]!, spec));
			}
			for (const [index, spec] of BOARDS.entries()) {
				await measureJoins(context, peer, rooms[index]!, spec, joins, holders[index]!);
			}
			for (const holder of holders) holder.destroy();
			if (peer.tillit) {
				// Cold joins: a restarted server has nothing in memory and loads from Postgres.
				await peer.restart();
				for (const [index, spec] of BOARDS.entries()) {
					const client = peer.connect(rooms[index]!, new Y.Doc(), { editor: 0 });
					const t0 = performance.now();
					await client.synced;
					const joinMs = performance.now() - t0;
					const complete = cardCount(client.doc) === spec.cards;
					context.report.record({
						scenario: 'S3',
						peer: `${peer.id} cold`,
						board: spec.label,
						joins: 1,
						p50: round(joinMs, 2),
						p99: round(joinMs, 2),
						bytes: client.bytesIn(),
						complete
					});
					process.stdout.write(
						`   S3 ${`${peer.id} cold`.padEnd(12)} ${spec.label.padEnd(10)} join ${joinMs.toFixed(1)} ms, ${(client.bytesIn() / 1024).toFixed(0)} KB${complete ? '' : ' INCOMPLETE'}\n`
					);
					client.destroy();
				}
			}
		} finally {
			await peer.stop();
		}
	}
}

/** A holder client fills the board and stays connected, so joins measure a loaded board. */
async function seedBoard(peer: Peer, room: string, spec: BoardSpec): Promise<SyncClient> {
	const userId = peer.tillit?.editors[0]!.id ?? 'bench-writer';
	const holder = peer.connect(room, new Y.Doc(), { editor: 0 });
	await holder.synced;
	// Small transactions with pauses: a server may bound message sizes and rates per connection.
	// Only the churned board's cards move, so only they need what the lifecycle gates ask for;
	// the others stay in Proposed, where a card may be created without any of it.
	const moving = spec.churnMoves > 0;
	seedCards(holder.doc, spec.cards, {
		userId,
		batch: 200,
		gateFacts: moving,
		...(moving ? {} : { stages: ['proposed'] as const })
	});
	const ids = Array.from({ length: spec.cards }, (_, n) => `c${n}`);
	for (let done = 0; done < spec.churnMoves; done += 200) {
		holder.doc.transact(() => {
			for (let k = 0; k < 200; k++) {
				moveStamped(holder.doc, ids[Math.floor(Math.random() * ids.length)]!, userId);
			}
		});
		if (done % 4000 === 0) await sleep(5);
	}
	// The board is complete on the server when a fresh client sees all of it.
	const ready = await waitUntil(
		async () => {
			const probe = peer.connect(room, new Y.Doc(), { editor: 1 });
			await probe.synced;
			const same = checkConvergence([holder.doc, probe.doc]).ok;
			probe.destroy();
			return same;
		},
		60_000,
		200
	);
	if (!ready) throw new Error(`${peer.id}: board ${spec.label} never reached the server whole`);
	return holder;
}

async function measureJoins(
	context: ScenarioContext,
	peer: Peer,
	room: string,
	spec: BoardSpec,
	joins: number,
	holder: SyncClient
) {
	const times: number[] = [];
	let bytes = 0;
	let converged = true;
	await peer.server.usage({ resetLoopDelay: true });
	for (let n = 0; n < joins; n++) {
		const doc = new Y.Doc();
		const t0 = performance.now();
		const client = peer.connect(room, doc, { editor: n + 1 });
		await client.synced;
		times.push(performance.now() - t0);
		bytes = client.bytesIn();
		if (!checkConvergence([holder.doc, doc]).ok) converged = false;
		client.destroy();
		await sleep(20);
	}
	recordGate({
		scenario: 'S3',
		peer: peer.id,
		gate: 'converge',
		ok: converged,
		detail: `${joins} joiners of the ${spec.label} board ${converged ? 'equal to' : 'DIFFER from'} the holder`
	});
	const summary = summarize(times);
	const usage = await peer.server.usage();
	context.report.record({
		scenario: 'S3',
		peer: peer.id,
		board: spec.label,
		joins,
		p50: round(summary.p50, 2),
		p99: round(summary.p99, 2),
		bytes,
		snapshotBytes: Y.encodeStateAsUpdate(holder.doc).byteLength,
		loopP99: round(usage.loopDelayP99Ms, 2),
		loopMax: round(usage.loopDelayMaxMs, 2)
	});
	process.stdout.write(
		`   S3 ${peer.id.padEnd(12)} ${spec.label.padEnd(10)} join p50 ${summary.p50.toFixed(1)} ms  p99 ${summary.p99.toFixed(1)} ms  ${(bytes / 1024).toFixed(0)} KB received  loop p99 ${usage.loopDelayP99Ms.toFixed(1)} max ${usage.loopDelayMaxMs.toFixed(1)} ms\n`
	);
}
