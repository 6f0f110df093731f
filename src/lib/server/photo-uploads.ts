/**
 * Per-account limit on photo uploads (in memory, like sign-in throttling: one process is the whole
 * picture). Decoding an image costs real CPU, so one account may not keep the server busy with it.
 */
import { WindowThrottle } from './rate-limit';

const LIMIT = 30;
const WINDOW_MS = 10 * 60_000;

class UploadLimit {
	readonly #window = new WindowThrottle({ limit: LIMIT, windowMs: WINDOW_MS, maxKeys: 10_000 });

	/** Counts one upload for `userId`; false when the account is over its limit. */
	take(userId: string, now = Date.now()): boolean {
		if (!this.#window.check(userId, now).allowed) return false;
		this.#window.recordFailure(userId, now);
		return true;
	}
}

export const photoUploads = new UploadLimit();
