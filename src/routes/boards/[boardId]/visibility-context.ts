/** The board's one VisibilityWatcher, shared with its cards through context. */
import { getContext, setContext } from 'svelte';
import { VisibilityWatcher } from '$lib/board/client/visibility-watcher';

const KEY = Symbol('tillit.visibility-watcher');

export function setVisibilityWatcher(watcher: VisibilityWatcher): VisibilityWatcher {
	return setContext(KEY, watcher);
}

export function getVisibilityWatcher(): VisibilityWatcher {
	return getContext<VisibilityWatcher | undefined>(KEY) ?? new VisibilityWatcher();
}
