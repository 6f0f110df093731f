import { error, json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { canEditBoard } from '$lib/roles';
import { requireBoardApi } from '$lib/server/board-api';
import { isWellFormedId } from '$lib/server/id';
import { photoUploads } from '$lib/server/photo-uploads';
import { acceptPhoto, PHOTO_MAX_UPLOAD_BYTES, readBodyLimited } from '$lib/server/photos';
import type { RequestHandler } from './$types';

/**
 * Uploads a photo for an idea (the body is the image itself). The card may not have reached the
 * server yet (an idea made offline syncs in parallel), so only the board and role are checked;
 * the photo becomes visible when the card names it. Answers { id } or a 4xx with a message.
 */
export const POST: RequestHandler = async (event) => {
	const { user, access } = await requireBoardApi(event, event.params.boardId, canEditBoard);
	if (!isWellFormedId(event.params.cardId)) error(404, m.error_not_found());
	if (!photoUploads.take(user.id)) error(429, m.standup_photo_too_many());
	const body = await readBodyLimited(event.request, PHOTO_MAX_UPLOAD_BYTES);
	if (!body) error(413, m.standup_photo_too_large());
	const result = await acceptPhoto(
		event.locals.runtime.database.db,
		{ boardId: access.boardId, cardId: event.params.cardId, uploadedBy: user.id },
		body
	);
	if (!result.ok) {
		const status = result.problem === 'not_an_image' ? 415 : 413;
		const message =
			result.problem === 'not_an_image'
				? m.standup_photo_not_image()
				: result.problem === 'too_large'
					? m.standup_photo_too_large()
					: m.standup_photo_too_many_pixels();
		error(status, message);
	}
	return json(
		{
			id: result.id,
			width: result.photo.width,
			height: result.photo.height,
			bytes: result.photo.data.byteLength
		},
		{ status: 201 }
	);
};
