/**
 * How SvelteKit code edits a board document in the same process: through the running sync
 * server's room for that board, so the change is broadcast to open clients, stored, projected and
 * its stage events written exactly as for a client's update (src/lib/server/board-edit.ts is the
 * entry point routes use).
 *
 * Why globalThis: SvelteKit's bundle and the server entry's bundle each have their own copy of
 * this module (see runtime.ts and access-changes.ts); a well-known Symbol lets both reach the same
 * sync server. Framework-free.
 */
import type * as Y from 'yjs';

/** Whom the change is attributed to (its stage events' `by`); null = nobody (the system). */
export interface EditActor {
	userId: string | null;
}

export type BoardEditOutcome<T> = { ok: true; value: T } | { ok: false; reason: 'no_board' };

export interface BoardEditor {
	/**
	 * Runs `change` on the board's live document as one server transaction and resolves once it is
	 * committed. `change` must validate before it writes: Yjs has no rollback.
	 */
	edit<T>(
		boardId: string,
		actor: EditActor,
		change: (doc: Y.Doc) => T
	): Promise<BoardEditOutcome<T>>;
}

const EDITORS_KEY = Symbol.for('tillit.sync.board-editors');
type Holder = { [EDITORS_KEY]?: BoardEditor[] };

function editors(): BoardEditor[] {
	const holder = globalThis as Holder;
	holder[EDITORS_KEY] ??= [];
	return holder[EDITORS_KEY];
}

/** Used by each sync server; returns the function that unregisters it. */
export function registerBoardEditor(editor: BoardEditor): () => void {
	editors().push(editor);
	return () => {
		const list = editors();
		const at = list.indexOf(editor);
		if (at >= 0) list.splice(at, 1);
	};
}

/** The sync server started last in this process, or null when none runs (yet). */
export function currentBoardEditor(): BoardEditor | null {
	return editors().at(-1) ?? null;
}
