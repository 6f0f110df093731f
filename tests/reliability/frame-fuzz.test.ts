/**
 * Frame fuzzing: random and mutated y-websocket frames (truncated varints, wrong types, huge
 * lengths, garbled updates and awareness, text frames, oversized frames) from editor connections,
 * one frame at a time. The server must stay up, close every offender with a permanent 44xx code
 * (so the stock client does not resend the same frame forever), and two honest clients on the same
 * board must go on syncing as if nothing happened.
 */
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { createCard, readCards } from '../../src/lib/board/document';
import { moveStamped, observeStamps, seedCards } from '../../bench/lib/board';
import { waitUntil, within } from '../../bench/lib/stats';
import { openHarness, size, waitConverged, whenSynced, type Harness } from './harness';

const FRAMES = size(10_000, 1_000);

function randomBytes(length: number): Uint8Array {
	const bytes = new Uint8Array(length);
	for (let i = 0; i < length; i++) bytes[i] = Math.floor(Math.random() * 256);
	return bytes;
}

function message(write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder();
	write(encoder);
	return encoding.toUint8Array(encoder);
}

/** Real frames to mutate: a sync update adding a card, a step 1, an awareness update. */
function seedFrames(): Uint8Array[] {
	const doc = new Y.Doc();
	let update: Uint8Array = new Uint8Array();
	doc.on('update', (u: Uint8Array) => (update = u));
	createCard(doc, { title: 'Fuzz', userId: 'fuzzer' });
	const syncUpdate = message((e) => {
		encoding.writeVarUint(e, 0);
		encoding.writeVarUint(e, 2);
		encoding.writeVarUint8Array(e, update);
	});
	const step1 = message((e) => {
		encoding.writeVarUint(e, 0);
		encoding.writeVarUint(e, 0);
		encoding.writeVarUint8Array(e, Y.encodeStateVector(doc));
	});
	const awareness = message((e) => {
		encoding.writeVarUint(e, 1);
		const inner = message((a) => {
			encoding.writeVarUint(a, 1);
			encoding.writeVarUint(a, Math.floor(Math.random() * 2 ** 30));
			encoding.writeVarUint(a, 1);
			encoding.writeVarString(a, JSON.stringify({ user: { name: 'Fuzz' } }));
		});
		encoding.writeVarUint8Array(e, inner);
	});
	return [syncUpdate, step1, awareness];
}

type Frame = { data: Uint8Array | string; kind: string };

function nextFrame(seeds: Uint8Array[]): Frame {
	const seed = seeds[Math.floor(Math.random() * seeds.length)]!;
	const pick = Math.floor(Math.random() * 10);
	switch (pick) {
		case 0:
			return { kind: 'random', data: randomBytes(Math.floor(Math.random() * 48)) };
		case 1: {
			const mutated = seed.slice();
			const flips = 1 + Math.floor(Math.random() * 4);
			for (let i = 0; i < flips; i++)
				mutated[Math.floor(Math.random() * mutated.length)] = Math.floor(Math.random() * 256);
			return { kind: 'mutated', data: mutated };
		}
		case 2:
			return { kind: 'truncated', data: seed.slice(0, Math.floor(Math.random() * seed.length)) };
		case 3:
			// A varint whose continuation bit never ends.
			return { kind: 'open varint', data: new Uint8Array([0, 2, 0xff, 0xff, 0xff, 0x80]) };
		case 4:
			return {
				kind: 'wrong type',
				data: new Uint8Array([2 + Math.floor(Math.random() * 250), ...randomBytes(6)])
			};
		case 5:
			// A length far beyond the frame (and beyond any sane allocation).
			return {
				kind: 'huge length',
				data: message((e) => {
					encoding.writeVarUint(e, Math.random() < 0.5 ? 0 : 1);
					if (Math.random() < 0.5) encoding.writeVarUint(e, 2);
					encoding.writeVarUint(e, 2 ** 31 + Math.floor(Math.random() * 2 ** 20));
					encoding.writeUint8Array(e, randomBytes(8));
				})
			};
		case 6:
			return {
				kind: 'bad awareness',
				data: message((e) => {
					encoding.writeVarUint(e, 1);
					const inner = message((a) => {
						encoding.writeVarUint(a, Math.random() < 0.5 ? 1 : 100_000);
						encoding.writeVarUint(a, Math.floor(Math.random() * 2 ** 30));
						encoding.writeVarUint(a, 1);
						encoding.writeVarString(a, Math.random() < 0.5 ? '{"broken":' : '[1,2,3]');
					});
					encoding.writeVarUint8Array(e, inner);
				})
			};
		case 7:
			return {
				kind: 'bad state vector',
				data: message((e) => {
					encoding.writeVarUint(e, 0);
					encoding.writeVarUint(e, 0);
					encoding.writeVarUint8Array(e, randomBytes(1 + Math.floor(Math.random() * 12)));
				})
			};
		case 8:
			return { kind: 'text', data: 'hello' };
		default:
			return { kind: 'trailing bytes', data: new Uint8Array([...seed, ...randomBytes(3)]) };
	}
}

interface Fuzzer {
	socket: WebSocket;
	closed: Promise<number>;
}

async function openFuzzer(harness: Harness, board: string): Promise<Fuzzer> {
	const user = harness.fixture.editors[3]!;
	const socket = new WebSocket(`ws://127.0.0.1:${harness.port}/sync/${board}`, {
		headers: { cookie: user.cookie, origin: `http://127.0.0.1:${harness.port}` }
	});
	socket.on('error', () => {});
	const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
	await new Promise<void>((resolve, reject) => {
		socket.once('open', () => resolve());
		socket.once('unexpected-response', () => reject(new Error('upgrade refused')));
	});
	return { socket, closed };
}

/** Sends one frame, then a ping: the pong (or a close) says the server has handled the frame. */
async function sendAndSettle(fuzzer: Fuzzer, frame: Frame): Promise<number | null> {
	if (fuzzer.socket.readyState !== WebSocket.OPEN) return fuzzer.closed;
	fuzzer.socket.send(frame.data, { binary: typeof frame.data !== 'string' });
	const pong = new Promise<null>((resolve) => fuzzer.socket.once('pong', () => resolve(null)));
	fuzzer.socket.ping();
	return within(Promise.race([pong, fuzzer.closed]), 5_000, -1);
}

describe('frame fuzzing', () => {
	let harness: Harness;
	beforeAll(async () => {
		harness = await openHarness();
	});
	afterAll(async () => {
		await harness?.close();
	});

	it(`survives ${FRAMES} hostile frames, closing offenders with 44xx, honest clients unaffected`, async () => {
		const [board] = await harness.fixture.createBoards(1);
		const writer = harness.connect(board!, { editor: 0 });
		const reader = harness.connect(board!, { editor: 1 });
		expect(await whenSynced(writer, 20_000)).toBe(true);
		expect(await whenSynced(reader, 20_000)).toBe(true);
		// With what the lifecycle gates need, so every honest move is accepted, none undone.
		seedCards(writer.doc, 20, { userId: harness.fixture.editors[0]!.id, prefix: 'honest-' });

		// The honest pair keeps working throughout: a stamped move every 50 ms.
		let lastSeen = -1;
		observeStamps(reader.doc, (seq) => (lastSeen = Math.max(lastSeen, seq)));
		let seq = 0;
		const honest = setInterval(() => {
			moveStamped(writer.doc, `honest-${seq % 20}`, harness.fixture.editors[0]!.id, seq);
			seq++;
		}, 50);

		const seeds = seedFrames();
		const closeCodes = new Map<number, number>();
		const wrongCloses: { kind: string; code: number }[] = [];
		let fuzzer = await openFuzzer(harness, board!);
		try {
			for (let n = 0; n < FRAMES; n++) {
				const frame = nextFrame(seeds);
				const code = await sendAndSettle(fuzzer, frame);
				if (code === null) continue;
				closeCodes.set(code, (closeCodes.get(code) ?? 0) + 1);
				if (code < 4400 || code > 4499) wrongCloses.push({ kind: frame.kind, code });
				fuzzer = await openFuzzer(harness, board!);
			}
			// Oversized frames: refused with 4413, not ws's transient 1009.
			for (let n = 0; n < 2; n++) {
				const code = await sendAndSettle(fuzzer, {
					kind: 'oversized',
					data: new Uint8Array(4 * 1024 * 1024 + 1)
				});
				expect(code).toBe(4413);
				fuzzer = await openFuzzer(harness, board!);
			}
		} finally {
			clearInterval(honest);
			fuzzer.socket.terminate();
		}

		expect(wrongCloses).toEqual([]);
		// Most hostile frames are offenders: the server must have closed many connections.
		expect([...closeCodes.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(FRAMES / 4);
		expect(harness.server.child.exitCode).toBeNull();

		// The honest pair never lost its sockets and saw every move.
		expect(writer.closeCodes).toEqual([]);
		expect(reader.closeCodes).toEqual([]);
		expect(await waitUntil(() => lastSeen === seq - 1, 10_000)).toBe(true);
		const stored = await harness.readBoard(board!);
		const converged = await waitConverged([writer.doc, reader.doc, stored], 30_000);
		const vectors = [writer.doc, reader.doc, stored].map((doc) =>
			JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(doc))].sort())
		);
		expect(converged, vectors.join('\n')).toBe(true);
		const ids = readCards(stored).map((card) => card.id);
		expect(new Set(ids).size).toBe(ids.length);
	});
});
