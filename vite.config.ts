import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * In development the sync server runs inside Vite's HTTP server. The plugin only forwards
 * `upgrade` events to the very module the production entry uses (server/sync/attach.ts),
 * loaded through Vite so edits apply without a restart: one code path, not two.
 */
function tillitSyncDev(): Plugin {
	return {
		name: 'tillit-sync-dev',
		configureServer(server) {
			server.httpServer?.on('upgrade', (request, socket, head) => {
				const url = request.url ?? '';
				if (!url.startsWith('/sync/')) return; // Vite's own HMR socket
				server
					.ssrLoadModule('/server/sync/dev-entry.ts')
					.then((mod: Record<string, unknown>) => {
						const handle = mod.handleDevUpgrade as (
							req: typeof request,
							sock: typeof socket,
							head: Buffer
						) => Promise<void>;
						return handle(request, socket, head);
					})
					.catch((error: unknown) => {
						server.config.logger.error(`sync upgrade failed: ${String(error)}`);
						socket.destroy();
					});
			});
		}
	};
}

export default defineConfig({
	plugins: [
		sveltekit(),
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			// The user's saved choice (cookie), else the browser's languages, else Swedish.
			strategy: ['cookie', 'preferredLanguage', 'baseLocale']
		}),
		tillitSyncDev()
	],
	test: {
		expect: { requireAssertions: true },
		projects: [
			{
				extends: './vite.config.ts',
				test: {
					name: 'unit',
					environment: 'node',
					include: ['src/**/*.spec.ts', 'server/**/*.spec.ts']
				}
			},
			{
				extends: './vite.config.ts',
				test: {
					name: 'integration',
					environment: 'node',
					include: ['tests/integration/**/*.test.ts'],
					globalSetup: ['tests/integration/global-setup.ts'],
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			},
			{
				// Crashes, restarts, fuzzing and storms against a Tillit server in a child process on
				// Postgres. RELIABILITY_FULL=1 (npm run test:reliability) runs the full sizes and the
				// Postgres restart; `npm test` runs the reduced sizes.
				extends: './vite.config.ts',
				test: {
					name: 'reliability',
					environment: 'node',
					include: ['tests/reliability/**/*.test.ts'],
					exclude:
						process.env.RELIABILITY_FULL === '1'
							? []
							: ['tests/reliability/postgres-restart.test.ts'],
					globalSetup: ['tests/reliability/global-setup.ts'],
					fileParallelism: false,
					testTimeout: 600_000,
					hookTimeout: 120_000
				}
			}
		]
	}
});
