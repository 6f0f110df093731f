/**
 * Binds an <input> or <textarea> to a Y.Text (a Svelte attachment): each input event becomes the
 * minimal insert/delete, so two people typing in one field merge; remote edits update the field
 * and keep the local caret where it belongs.
 */
import type * as Y from 'yjs';
import { diffText, transformPosition, type DeltaOp } from './text-diff';

type TextField = HTMLInputElement | HTMLTextAreaElement;

export function bindYText(text: Y.Text, origin: unknown): (node: TextField) => () => void {
	return (node) => {
		node.value = text.toString();
		// Marks the field so the board's Ctrl/Cmd+Z goes to the shared undo, not the browser's.
		node.dataset.sharedText = '';

		const onInput = () => {
			const before = text.toString();
			const after = node.value;
			const change = diffText(before, after, node.selectionEnd);
			if (!change) return;
			const doc = text.doc;
			const apply = () => {
				if (change.remove > 0) text.delete(change.index, change.remove);
				if (change.insert.length > 0) text.insert(change.index, change.insert);
			};
			if (doc) doc.transact(apply, origin);
			else apply();
		};

		const onTextChange = (event: Y.YTextEvent) => {
			const value = text.toString();
			if (value === node.value) return;
			const focused = node.ownerDocument.activeElement === node;
			const start = node.selectionStart;
			const end = node.selectionEnd;
			const direction = node.selectionDirection ?? undefined;
			node.value = value;
			if (focused && start !== null && end !== null) {
				const delta = event.delta as DeltaOp[];
				node.setSelectionRange(
					transformPosition(start, delta),
					transformPosition(end, delta),
					direction
				);
			}
		};

		node.addEventListener('input', onInput);
		text.observe(onTextChange);
		return () => {
			node.removeEventListener('input', onInput);
			text.unobserve(onTextChange);
		};
	};
}
