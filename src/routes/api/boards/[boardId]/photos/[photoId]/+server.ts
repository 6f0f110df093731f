import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { isPhotoId } from '$lib/board/idea';
import { requireBoardReader } from '$lib/server/board-reader';
import { getPhoto } from '$lib/server/photos';
import type { RequestHandler } from './$types';

/** A photo of a board's card, for its team and its stand-up TV (a display link of this board). */
export const GET: RequestHandler = async (event) => {
	if (!event.locals.user && !event.locals.display) error(401, m.pdca_api_signin());
	const { access } = await requireBoardReader(event, event.params.boardId);
	if (!isPhotoId(event.params.photoId)) error(404, m.error_not_found());
	const photo = await getPhoto(
		event.locals.runtime.database.db,
		access.boardId,
		event.params.photoId
	);
	if (!photo) error(404, m.error_not_found());
	return new Response(new Uint8Array(photo.data), {
		headers: {
			'content-type': photo.mime,
			// Private: only people with access may see it; a photo never changes once stored.
			'cache-control': 'private, max-age=86400, immutable'
		}
	});
};
