/**
 * Sends an idea's photo to the server, which resizes it and strips its metadata. A photo taken
 * offline waits in memory until the phone is online again (the idea itself is already safe in the
 * board's local copy); a refusal (not an image, too large) is final and comes back as a message.
 */
export type UploadResult =
	| { ok: true; photoId: string; bytes: number }
	| { ok: false; retry: boolean; message: string | null };

export async function uploadPhoto(
	boardId: string,
	cardId: string,
	file: Blob
): Promise<UploadResult> {
	let response: Response;
	try {
		response = await fetch(`/api/boards/${boardId}/cards/${cardId}/photos`, {
			method: 'POST',
			body: file,
			headers: { 'content-type': file.type || 'application/octet-stream' }
		});
	} catch {
		return { ok: false, retry: true, message: null };
	}
	const body: unknown = await response.json().catch(() => null);
	const id = field(body, 'id');
	if (response.ok && typeof id === 'string') {
		const bytes = field(body, 'bytes');
		return { ok: true, photoId: id, bytes: typeof bytes === 'number' ? bytes : 0 };
	}
	const message = field(body, 'message');
	// 5xx and 429 may pass later; a 4xx about the photo itself will not.
	return {
		ok: false,
		retry: response.status >= 500 || response.status === 429,
		message: typeof message === 'string' ? message : null
	};
}

/** One field of a JSON body that is not trusted to be an object. */
function field(body: unknown, key: string): unknown {
	return typeof body === 'object' && body !== null
		? (body as Record<string, unknown>)[key]
		: undefined;
}
