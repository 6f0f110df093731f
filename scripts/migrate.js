// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to PGlite in TILLIT_DATA_DIR.
import { withRuntime } from './with-runtime.js';

await withRuntime(
	'migrate',
	[],
	async (_mod, runtime) => {
		console.log(`Migrations are up to date (${runtime.database.kind}).`);
	},
	{ failure: '' }
);
