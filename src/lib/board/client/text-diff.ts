/**
 * The smallest edit that turns one string into another, and how a remote edit moves a caret.
 * Binding an <input>/<textarea> to a Y.Text with these means two people typing in one field merge
 * character by character (each keystroke becomes a small insert/delete) instead of one person's
 * whole value overwriting the other's.
 */

export interface TextChange {
	/** Where the change starts, in UTF-16 code units (as Y.Text and the DOM count). */
	index: number;
	remove: number;
	insert: string;
}

function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
	return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * The change from `before` to `after`. `caret` (the selection end after the edit, if known)
 * decides between equally small answers: typing "a" into "aa" with the caret at 1 is an insert at
 * 0, not at 2 — which matters when someone else is typing nearby. Never splits a surrogate pair.
 */
export function diffText(before: string, after: string, caret?: number | null): TextChange | null {
	if (before === after) return null;
	const shortest = Math.min(before.length, after.length);
	let prefix = 0;
	while (prefix < shortest && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
	if (typeof caret === 'number' && caret >= 0) {
		// Text typed ends at the caret, so the unchanged start cannot reach past its beginning.
		const grown = Math.max(0, after.length - before.length);
		prefix = Math.min(prefix, Math.max(0, caret - grown));
	}
	if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
	let suffix = 0;
	const maxSuffix = shortest - prefix;
	while (
		suffix < maxSuffix &&
		before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
	) {
		suffix++;
	}
	if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
	return {
		index: prefix,
		remove: before.length - prefix - suffix,
		insert: after.slice(prefix, after.length - suffix)
	};
}

/** One operation of a Yjs text delta (YTextEvent.delta / changes.delta). */
export interface DeltaOp {
	insert?: unknown;
	delete?: number;
	retain?: number;
}

function insertLength(insert: unknown): number {
	return typeof insert === 'string' ? insert.length : insert === undefined ? 0 : 1;
}

/**
 * Where a caret at `position` ends up after a remote `delta`. Text inserted exactly at the caret
 * goes after it (the local person keeps typing where they were); deleted text before it pulls it back.
 */
export function transformPosition(position: number, delta: readonly DeltaOp[]): number {
	let index = 0;
	let result = position;
	for (const op of delta) {
		if (op.retain !== undefined) {
			index += op.retain;
		} else if (op.insert !== undefined) {
			const length = insertLength(op.insert);
			if (index < result) result += length;
			index += length;
		} else if (op.delete !== undefined) {
			if (index < result) result -= Math.min(op.delete, result - index);
		}
	}
	return Math.max(0, result);
}
