/** Which database the integration tests run on: TEST_DB=postgres needs TEST_DATABASE_URL. */
export type TestBackend = 'pglite' | 'postgres';

/** One template database per test run, so two runs (or two developers) never share one. */
export function newTemplateDbName(): string {
	return `tillit_tpl_${process.pid}_${crypto.randomUUID().replaceAll('-', '').slice(0, 8)}`;
}

export function testBackend(): TestBackend {
	const chosen = process.env.TEST_DB ?? 'pglite';
	if (chosen !== 'pglite' && chosen !== 'postgres')
		throw new Error(`TEST_DB must be pglite or postgres, not ${chosen}`);
	if (chosen === 'postgres' && !process.env.TEST_DATABASE_URL) {
		throw new Error(
			'TEST_DB=postgres needs TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)'
		);
	}
	return chosen;
}

export function adminConnectionString(): string {
	const url = process.env.TEST_DATABASE_URL;
	if (!url) throw new Error('TEST_DATABASE_URL is not set');
	return url;
}
