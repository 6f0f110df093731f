/**
 * A backup as one gzip'd file on disk or in a download (npm run backup / restore, the admin
 * screen). Writing streams line by line through gzip; reading accepts the gzip'd file or the plain
 * lines, and stops with a message at the first damaged byte. Framework-free.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { backupLines, restoreBackup, type RestoreOutcome } from './backup';

const GZIP_MAGIC = [0x1f, 0x8b] as const;

export async function writeBackupFile(
	db: Kysely<Database>,
	source: string,
	file: string
): Promise<void> {
	await pipeline(Readable.from(backupLines(db, source)), createGzip(), createWriteStream(file));
}

/** The backup's bytes as a web stream (admin download). */
export function backupStream(db: Kysely<Database>, source: string): ReadableStream<Uint8Array> {
	const gzip = Readable.from(backupLines(db, source)).pipe(createGzip());
	return Readable.toWeb(gzip) as ReadableStream<Uint8Array>;
}

/** The input's text: ungzipped when its bytes start like gzip, else passed through. */
async function textOf(input: Readable, onError: (error: Error) => void): Promise<Readable> {
	input.on('error', onError);
	const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
	const first = await chunks.next().catch((error: Error) => {
		onError(error);
		return { done: true, value: undefined } as const;
	});
	async function* all() {
		if (first.done) return;
		yield first.value;
		for (;;) {
			const next = await chunks.next();
			if (next.done) return;
			yield next.value;
		}
	}
	const bytes = Readable.from(all());
	bytes.on('error', onError);
	const gzipped =
		!first.done && first.value[0] === GZIP_MAGIC[0] && first.value[1] === GZIP_MAGIC[1];
	if (!gzipped) return bytes;
	const gunzip = createGunzip();
	gunzip.on('error', onError);
	return bytes.pipe(gunzip);
}

export async function restoreFromStream(
	db: Kysely<Database>,
	input: Readable
): Promise<RestoreOutcome> {
	let failure: Error | null = null;
	const fail = (error: Error) => {
		failure ??= error;
	};
	const text = await textOf(input, fail);
	// The line reader is made when the restore starts reading: readline drops lines emitted before
	// its iterator exists, and the restore first checks the database.
	async function* lines() {
		if (failure || text.destroyed) return; // it failed while the restore checked the database
		const reader = createInterface({ input: text, crlfDelay: Infinity });
		// A read error ends the lines early; the restore then sees a truncated file, stores nothing.
		text.on('error', () => reader.close());
		text.on('close', () => reader.close());
		yield* reader;
	}
	const outcome = await restoreBackup(db, lines());
	if (failure) {
		return {
			ok: false,
			message: `the file could not be read (${(failure as Error).message}): it is damaged or not a backup`
		};
	}
	return outcome;
}

export async function restoreBackupFile(
	db: Kysely<Database>,
	file: string
): Promise<RestoreOutcome> {
	return restoreFromStream(db, createReadStream(file));
}
