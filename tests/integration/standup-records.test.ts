/**
 * The stand-up's records in the database: photos pass their limits or nothing is stored, and a
 * stand-up started twice at once is one stand-up; its summary keeps the moves made during it.
 */
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import {
	acceptPhoto,
	getPhoto,
	PHOTO_MAX_EDGE,
	PHOTO_MAX_UPLOAD_BYTES
} from '../../src/lib/server/photos';
import {
	endStandup,
	getOpenStandup,
	lastStandupEnd,
	listMovesBetween,
	listStandupSummaries,
	startStandup
} from '../../src/lib/server/standup';
import {
	ANONYMOUS_PROPOSER_ID,
	proposeAnonymously,
	setAnonymousIdeas
} from '../../src/lib/server/anonymous-ideas';
import { seedBoard, seedMember, seedOrganisation, seedTeam, seedUser } from '../helpers/seed';
import { openTestDatabase } from '../helpers/test-database';

let database: OpenDatabase;
let boardId: string;
let userId: string;

beforeAll(async () => {
	database = await openTestDatabase();
	const organisationId = await seedOrganisation(database.db);
	const teamId = await seedTeam(database.db, organisationId);
	boardId = await seedBoard(database.db, teamId);
	userId = (await seedUser(database.db, organisationId, { name: 'Sara Samordnare' })).id;
	await seedMember(database.db, teamId, userId, 'member');
});

afterAll(async () => {
	await database.close();
});

async function photoCount(): Promise<number> {
	const row = await database.db
		.selectFrom('card_photos')
		.select((eb) => eb.fn.countAll<string>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

const target = () => ({ boardId, cardId: 'card-1', uploadedBy: userId });

/** A PNG that is small on disk and 400 megapixels decoded: a decompression bomb. */
function pngBomb(width: number, height: number): Uint8Array {
	const crcTable = Array.from({ length: 256 }, (_, n) => {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		return c >>> 0;
	});
	const crc = (bytes: Buffer) => {
		let c = 0xffffffff;
		for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
		return (c ^ 0xffffffff) >>> 0;
	};
	const chunk = (type: string, data: Buffer) => {
		const length = Buffer.alloc(4);
		length.writeUInt32BE(data.length);
		const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
		const check = Buffer.alloc(4);
		check.writeUInt32BE(crc(body));
		return Buffer.concat([length, body, check]);
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 1; // bit depth 1
	header[9] = 0; // greyscale
	// Every row: filter byte 0 + width/8 zero bytes; deflate makes it tiny.
	const raw = Buffer.alloc(height * (1 + Math.ceil(width / 8)));
	return new Uint8Array(
		Buffer.concat([
			Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
			chunk('IHDR', header),
			chunk('IDAT', deflateSync(raw, { level: 9 })),
			chunk('IEND', Buffer.alloc(0))
		])
	);
}

describe('idea photos', () => {
	it('resizes, re-encodes and strips location metadata before storing', async () => {
		const original = await sharp({
			create: { width: 3000, height: 2000, channels: 3, background: '#3a7' }
		})
			.jpeg()
			.withExif({
				IFD0: { Copyright: 'Kamera' },
				IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '59/1 19/1 0/1' }
			})
			.toBuffer();
		expect((await sharp(original).metadata()).exif).toBeDefined();
		const result = await acceptPhoto(database.db, target(), new Uint8Array(original));
		if (!result.ok) throw new Error(`refused: ${result.problem}`);
		const stored = await getPhoto(database.db, boardId, result.id);
		expect(stored?.mime).toBe('image/jpeg');
		const meta = await sharp(Buffer.from(stored!.data)).metadata();
		expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(PHOTO_MAX_EDGE);
		expect(meta.exif).toBeUndefined();
		expect(meta.format).toBe('jpeg');
		// Another board's id does not reach it.
		expect(await getPhoto(database.db, 'brd_other', result.id)).toBeNull();
	});

	it('refuses what is not an image, what is too large, and a decompression bomb — storing nothing', async () => {
		const before = await photoCount();
		const notImage = await acceptPhoto(
			database.db,
			target(),
			new TextEncoder().encode('<svg>nej</svg>')
		);
		expect(notImage).toEqual({ ok: false, problem: 'not_an_image' });
		const empty = await acceptPhoto(database.db, target(), new Uint8Array());
		expect(empty).toEqual({ ok: false, problem: 'not_an_image' });
		const tooLarge = await acceptPhoto(
			database.db,
			target(),
			new Uint8Array(PHOTO_MAX_UPLOAD_BYTES + 1)
		);
		expect(tooLarge).toEqual({ ok: false, problem: 'too_large' });
		const bomb = pngBomb(20_000, 20_000);
		expect(bomb.byteLength).toBeLessThan(200_000);
		expect(await acceptPhoto(database.db, target(), bomb)).toEqual({
			ok: false,
			problem: 'too_many_pixels'
		});
		expect(await photoCount()).toBe(before);
	});
});

describe('stand-up meetings', () => {
	it('is one stand-up when started twice at once', async () => {
		const [a, b] = await Promise.all([
			startStandup(database.db, boardId, userId),
			startStandup(database.db, boardId, userId)
		]);
		expect(a.standup.id).toBe(b.standup.id);
		expect([a.started, b.started].sort()).toEqual([false, true]);
		const open = await database.db
			.selectFrom('standups')
			.select('id')
			.where('board_id', '=', boardId)
			.where('ended_at', 'is', null)
			.execute();
		expect(open).toHaveLength(1);
	});

	it('keeps a summary with the moves made during it, and measures changes from its end', async () => {
		const open = await getOpenStandup(database.db, boardId);
		if (!open) throw new Error('no open stand-up');
		await database.db
			.insertInto('card_events')
			.values([
				{
					board_id: boardId,
					card_id: 'k1',
					from_stage: null,
					to_stage: 'proposed',
					at: new Date(),
					by_user_id: userId
				},
				{
					board_id: boardId,
					card_id: 'k1',
					from_stage: 'proposed',
					to_stage: 'plan',
					at: new Date(),
					by_user_id: userId
				}
			])
			.execute();
		const report = {
			attendees: ['Sara Samordnare', 'Ali'],
			discussed: [{ id: 'k1', title: 'Kortare väntetid' }],
			actions: [{ cardTitle: 'Kortare väntetid', text: 'Ring apoteket', owner: 'Ali' }],
			parkingLot: ['Schemat i december']
		};
		expect(await endStandup(database.db, boardId, open.id, report)).toBe(true);
		// Ending it twice (two laptops) keeps the first summary.
		expect(await endStandup(database.db, boardId, open.id, { ...report, attendees: [] })).toBe(
			false
		);

		const [summary] = await listStandupSummaries(database.db, boardId);
		expect(summary?.summary?.attendees).toEqual(['Sara Samordnare', 'Ali']);
		expect(summary?.summary?.moves).toEqual([
			expect.objectContaining({
				cardId: 'k1',
				from: 'proposed',
				to: 'plan',
				byName: 'Sara Samordnare'
			})
		]);
		expect(summary?.summary?.parkingLot).toEqual(['Schemat i december']);

		const end = await lastStandupEnd(database.db, boardId);
		expect(end).not.toBeNull();
		expect(await listMovesBetween(database.db, boardId, end!)).toEqual([]);
		await database.db
			.insertInto('card_events')
			.values({
				board_id: boardId,
				card_id: 'k1',
				from_stage: 'plan',
				to_stage: 'do',
				at: new Date(end!.getTime() + 1000),
				by_user_id: userId
			})
			.execute();
		expect(await listMovesBetween(database.db, boardId, end!)).toEqual([
			expect.objectContaining({ cardId: 'k1', from: 'plan', to: 'do' })
		]);
		// The next stand-up starts fresh.
		const next = await startStandup(database.db, boardId, userId);
		expect(next.started).toBe(true);
		expect(next.standup.id).not.toBe(open.id);
	});
});

describe('anonymous ideas', () => {
	const idea = (cardId: string) => ({
		boardId,
		userId,
		cardId,
		problem: 'Ingen tvål i sköljrummet',
		beneficiary: 'Personalen',
		idea: '',
		creditedAs: 'en kollega'
	});

	it('are refused unless the board allows them', async () => {
		expect(await proposeAnonymously(database.db, idea('anon-0'))).toEqual({
			ok: false,
			reason: 'not_allowed'
		});
	});

	it('carry no trace of the proposer, and a retry is one card', async () => {
		await setAnonymousIdeas(database.db, boardId, true);
		expect(await proposeAnonymously(database.db, idea('anon-1'))).toEqual({
			ok: true,
			outcome: 'created'
		});
		expect(await proposeAnonymously(database.db, idea('anon-1'))).toEqual({
			ok: true,
			outcome: 'already-there'
		});
		const rows = await database.db
			.selectFrom('cards')
			.select(['proposer_id', 'proposer_name', 'created_by', 'stage'])
			.where('board_id', '=', boardId)
			.where('id', '=', 'anon-1')
			.execute();
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			proposer_id: ANONYMOUS_PROPOSER_ID,
			proposer_name: 'en kollega',
			stage: 'proposed'
		});
		expect(rows[0]?.created_by).not.toBe(userId);
		const events = await database.db
			.selectFrom('card_events')
			.select('by_user_id')
			.where('board_id', '=', boardId)
			.where('card_id', '=', 'anon-1')
			.execute();
		expect(events.every((e) => e.by_user_id === null)).toBe(true);
	});

	it('are still limited per account', async () => {
		const results = [];
		for (let i = 2; i <= 12; i++)
			results.push(await proposeAnonymously(database.db, idea(`anon-${i}`)));
		expect(results.filter((r) => r.ok)).toHaveLength(9); // 10 an hour, one was sent above
		expect(results.at(-1)).toEqual({ ok: false, reason: 'too_many' });
	});
});
