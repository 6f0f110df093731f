// Bundles the production entry (server/index.ts and the sync server) into build/server/index.js.
// Packages stay external (they are installed); our own TypeScript from src/lib is bundled in.
import { build } from 'esbuild';

await build({
	entryPoints: ['server/index.ts'],
	outfile: `${process.env.TILLIT_BUILD_DIR || 'build'}/server/index.js`,
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	packages: 'external',
	sourcemap: true,
	logLevel: 'warning'
});
console.log(`built ${process.env.TILLIT_BUILD_DIR || 'build'}/server/index.js`);
