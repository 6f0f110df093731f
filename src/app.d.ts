import type { SessionUser, ValidSession } from '$lib/server/session';
import type { Runtime } from '$lib/server/runtime';

declare global {
	namespace App {
		interface Locals {
			runtime: Runtime;
			user: SessionUser | null;
			session: ValidSession | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
