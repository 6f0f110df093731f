import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// TILLIT_BUILD_DIR lets two builds run side by side (e.g. parallel test runs); default `build`.
const buildDir = process.env.TILLIT_BUILD_DIR || 'build';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: buildDir, precompress: false }),
		outDir: buildDir === 'build' ? '.svelte-kit' : `.svelte-kit-${buildDir}`,
		csp: {
			// A fresh nonce per server-rendered page (a hash for prerendered ones): SvelteKit's own
			// inline start-up script runs, any script an attacker manages to inject does not.
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// 'unsafe-inline' for styles, on purpose: server-rendered style attributes (Svelte's
				// style: directives, app.html's wrapper) and the <style> elements drag-and-drop
				// (@dnd-kit/dom) injects without a nonce need it. Inline CSS cannot run script, and
				// with it present SvelteKit adds no style nonce (which would disable it again).
				'style-src': ['self', 'unsafe-inline'],
				// QR codes and chart downloads may be data:/blob: URLs; nothing comes from elsewhere.
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				// The board's websocket is same-origin; hooks.server.ts adds this host's exact ws:/wss:
				// origin, since not every browser lets 'self' cover websockets yet.
				'connect-src': ['self'],
				'worker-src': ['self'],
				'manifest-src': ['self'],
				'frame-src': ['none'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
