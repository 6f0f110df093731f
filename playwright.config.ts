import { defineConfig, devices } from '@playwright/test';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * E2E runs against the production build and the server/ entry, on a fresh PGlite data folder.
 * Browser downloads are not possible here: Playwright drives the system Chromium.
 */
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
	throw new Error(
		`Chromium not found at ${chromium}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`
	);
}
const port = Number(process.env.E2E_PORT ?? 4317);
const dataDir = path.join(os.tmpdir(), `tillit-e2e-${process.pid}`);
const chromiumUse = {
	...devices['Desktop Chrome'],
	launchOptions: {
		executablePath: chromium,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run'
		]
	}
};

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	reporter: process.env.CI ? 'line' : 'list',
	timeout: 60_000,
	expect: { timeout: 10_000 },
	use: {
		baseURL: `http://127.0.0.1:${port}`,
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		locale: 'en-GB'
	},
	projects: [
		// Runs first, once per run, even when only one spec file is chosen: the fresh install's
		// first person creates the organisation (tests/e2e/helpers/accounts.ts has the admin).
		{ name: 'setup', testMatch: /.*\.setup\.ts/, use: chromiumUse },
		{ name: 'chromium', dependencies: ['setup'], use: chromiumUse }
	],
	webServer: {
		// The build is made once by scripts/test.js (or by hand with `npm run build`).
		command: `rm -rf ${dataDir} && node ${process.env.TILLIT_BUILD_DIR || 'build'}/server/index.js`,
		url: `http://127.0.0.1:${port}/healthz`,
		reuseExistingServer: false,
		timeout: 120_000,
		env: {
			NODE_ENV: 'production',
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: `http://127.0.0.1:${port}`,
			TILLIT_DATA_DIR: dataDir,
			LOG_LEVEL: 'warn',
			// Sign-in throttling stays on; e2e users sign in only a few times.
			DATABASE_URL: ''
		},
		stdout: 'pipe',
		stderr: 'pipe'
	}
});
