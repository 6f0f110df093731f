/** SvelteKit's door to the shared runtime: reads the environment through $env, once. */
import { env } from '$env/dynamic/private';
import { getRuntime, readRuntimeConfig, type Runtime } from './runtime';

export function runtimeFromEnv(): Promise<Runtime> {
	return getRuntime(readRuntimeConfig(env, process.cwd()));
}
