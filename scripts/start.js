// `npm start`: builds when the build is missing or older than the sources, then runs the server.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const entry = 'build/server/index.js';
const sources = [
	'src',
	'server',
	'messages',
	'static',
	'svelte.config.js',
	'vite.config.ts',
	'package.json'
];

function newestMtime(p) {
	if (!existsSync(p)) return 0;
	const stat = statSync(p);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = 0;
	for (const name of readdirSync(p)) {
		if (name === 'paraglide') continue; // generated
		newest = Math.max(newest, newestMtime(path.join(p, name)));
	}
	return newest;
}

const built = existsSync(entry) ? statSync(entry).mtimeMs : 0;
if (built === 0 || Math.max(...sources.map(newestMtime)) > built) {
	console.log('Building Tillit (first start or sources changed)…');
	const result = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}
const run = spawnSync(process.execPath, ['--enable-source-maps', entry], {
	stdio: 'inherit',
	env: { NODE_ENV: 'production', ...process.env }
});
process.exit(run.status ?? 0);
