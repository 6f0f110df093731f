/**
 * Photos attached to ideas. Whatever a phone sends is decoded and drawn again by the server
 * (`sharp`): at most 1600 px on the long side, turned upright, re-encoded as JPEG, and — because
 * sharp writes no metadata unless asked — without EXIF, GPS position or camera details. Limits come
 * first, before any decoding: the upload's size, the format (by content, not by the client's
 * word), and the pixel count (`limitInputPixels` stops a decompression bomb, a small file that
 * decodes to gigabytes). Stored in Postgres (bytea), so backups and PGlite need nothing extra.
 */
import type { Kysely } from 'kysely';
import sharp, { type Metadata } from 'sharp';
import type { Database } from './db/schema';
import { newId } from './id';

export const PHOTO_MAX_UPLOAD_BYTES = 12 * 1024 * 1024;
/** 40 megapixels: above any phone camera, far below what would exhaust memory. */
export const PHOTO_MAX_INPUT_PIXELS = 40_000_000;
export const PHOTO_MAX_EDGE = 1600;
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'heif', 'avif', 'tiff']);

export type PhotoProblem = 'not_an_image' | 'too_large' | 'too_many_pixels';

export interface ProcessedPhoto {
	data: Uint8Array;
	mime: 'image/jpeg';
	width: number;
	height: number;
}

export type PhotoResult =
	{ ok: true; photo: ProcessedPhoto } | { ok: false; problem: PhotoProblem };

export async function processPhoto(input: Uint8Array): Promise<PhotoResult> {
	if (input.byteLength > PHOTO_MAX_UPLOAD_BYTES) return { ok: false, problem: 'too_large' };
	if (input.byteLength === 0) return { ok: false, problem: 'not_an_image' };
	let metadata: Metadata;
	try {
		// Reads the header only, so no pixel limit is needed here: cheap even for a bomb, whose
		// size is then refused below before anything is decoded.
		metadata = await sharp(input, { limitInputPixels: false }).metadata();
	} catch (error) {
		return { ok: false, problem: isPixelLimit(error) ? 'too_many_pixels' : 'not_an_image' };
	}
	if (!metadata.format || !ACCEPTED_FORMATS.has(metadata.format)) {
		return { ok: false, problem: 'not_an_image' };
	}
	const { width = 0, height = 0 } = metadata;
	if (width * height > PHOTO_MAX_INPUT_PIXELS) return { ok: false, problem: 'too_many_pixels' };
	try {
		const { data, info } = await sharp(input, {
			limitInputPixels: PHOTO_MAX_INPUT_PIXELS,
			failOn: 'error',
			// One frame of an animation is enough for an idea's photo.
			pages: 1
		})
			.rotate()
			.resize({
				width: PHOTO_MAX_EDGE,
				height: PHOTO_MAX_EDGE,
				fit: 'inside',
				withoutEnlargement: true
			})
			.flatten({ background: '#ffffff' })
			.jpeg({ quality: 80 })
			.toBuffer({ resolveWithObject: true });
		return {
			ok: true,
			photo: {
				data: new Uint8Array(data),
				mime: 'image/jpeg',
				width: info.width,
				height: info.height
			}
		};
	} catch (error) {
		return { ok: false, problem: isPixelLimit(error) ? 'too_many_pixels' : 'not_an_image' };
	}
}

/** sharp's wording when limitInputPixels stops a decode (e.g. a header that lied about its size). */
function isPixelLimit(error: unknown): boolean {
	return error instanceof Error && /pixel limit/i.test(error.message);
}

export async function storePhoto(
	db: Kysely<Database>,
	input: { boardId: string; cardId: string; uploadedBy: string; photo: ProcessedPhoto }
): Promise<string> {
	const id = newId('pho');
	await db
		.insertInto('card_photos')
		.values({
			id,
			board_id: input.boardId,
			card_id: input.cardId,
			uploaded_by: input.uploadedBy,
			mime: input.photo.mime,
			width: input.photo.width,
			height: input.photo.height,
			data: input.photo.data
		})
		.execute();
	return id;
}

/**
 * An upload from start to stored row: limits and re-encoding first, and only a photo that passed
 * them is written. A refusal stores nothing.
 */
export async function acceptPhoto(
	db: Kysely<Database>,
	target: { boardId: string; cardId: string; uploadedBy: string },
	input: Uint8Array
): Promise<{ ok: true; id: string; photo: ProcessedPhoto } | { ok: false; problem: PhotoProblem }> {
	const result = await processPhoto(input);
	if (!result.ok) return result;
	const id = await storePhoto(db, { ...target, photo: result.photo });
	return { ok: true, id, photo: result.photo };
}

/** One photo of this board (callers check the reader's access to the board first). */
export async function getPhoto(
	db: Kysely<Database>,
	boardId: string,
	photoId: string
): Promise<{ mime: string; data: Uint8Array } | null> {
	const row = await db
		.selectFrom('card_photos')
		.select(['mime', 'data'])
		.where('board_id', '=', boardId)
		.where('id', '=', photoId)
		.executeTakeFirst();
	return row ?? null;
}

/** Reads a request body up to `limit` bytes; null when it is longer (the rest is not read). */
export async function readBodyLimited(request: Request, limit: number): Promise<Uint8Array | null> {
	const declared = Number(request.headers.get('content-length') ?? '0');
	if (declared > limit) return null;
	if (!request.body) return new Uint8Array();
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > limit) {
			await reader.cancel();
			return null;
		}
		chunks.push(value);
	}
	const body = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		body.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return body;
}
