/**
 * A route action called the way SvelteKit calls it, minus the HTTP server: a form POST with the
 * given fields, a session user (or none), and the test's database. For checks that belong to the
 * action itself (validation, "nothing stored"); the e2e specs cover the real server around it.
 */
import type { RequestEvent } from '@sveltejs/kit';
import pino from 'pino';
import type { OpenDatabase } from '../../src/lib/server/db/open';
import type { Runtime } from '../../src/lib/server/runtime';
import type { SessionUser, ValidSession } from '../../src/lib/server/session';

export interface ActionCall {
	path: string;
	params?: Record<string, string>;
	form: Record<string, string>;
	user?: SessionUser;
	session?: ValidSession;
}

/** `E` is the route's own event type (each route's actions have their own). */
export function actionEvent<E = RequestEvent>(database: OpenDatabase, call: ActionCall): E {
	const url = new URL(call.path, 'http://tillit.test');
	const body = new FormData();
	for (const [key, value] of Object.entries(call.form)) body.append(key, value);
	const runtime: Runtime = {
		config: {
			databaseUrl: undefined,
			dataDir: '',
			migrationsDir: '',
			origin: url.origin,
			production: false,
			logLevel: 'silent'
		},
		database,
		log: pino({ level: 'silent' })
	};
	const cookies = new Map<string, string>();
	const event = {
		request: new Request(url, { method: 'POST', body, headers: { origin: url.origin } }),
		url,
		params: call.params ?? {},
		route: { id: url.pathname },
		locals: { runtime, user: call.user ?? null, session: call.session ?? null },
		cookies: {
			get: (name: string) => cookies.get(name),
			getAll: () => [...cookies].map(([name, value]) => ({ name, value })),
			set: (name: string, value: string) => void cookies.set(name, value),
			delete: (name: string) => void cookies.delete(name),
			serialize: () => ''
		},
		getClientAddress: () => '127.0.0.1',
		setHeaders: () => {},
		isDataRequest: false,
		isSubRequest: false,
		isRemoteRequest: false,
		platform: undefined,
		tracing: { enabled: false, root: undefined, current: undefined },
		fetch
	};
	// A test double: only the fields actions read are real.
	return event as unknown as E;
}
