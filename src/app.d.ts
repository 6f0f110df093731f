import type { SessionUser, ValidSession } from '$lib/server/session';
import type { Runtime } from '$lib/server/runtime';
import type { DisplayPrincipal } from '$lib/server/display-link';

declare global {
	namespace App {
		interface Locals {
			runtime: Runtime;
			user: SessionUser | null;
			session: ValidSession | null;
			/** A stand-up TV signed in by display link (only when there is no person's session). */
			display: DisplayPrincipal | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
