import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { diffText, transformPosition } from './text-diff';

function apply(text: string, change: ReturnType<typeof diffText>): string {
	if (!change) return text;
	return text.slice(0, change.index) + change.insert + text.slice(change.index + change.remove);
}

describe('diffText', () => {
	it('finds a single insert, delete and replacement', () => {
		expect(diffText('hello', 'hello world', null)).toEqual({
			index: 5,
			remove: 0,
			insert: ' world'
		});
		expect(diffText('abc', 'abc', 2)).toBeNull();
		expect(diffText('abcdef', 'abXef', 3)).toEqual({ index: 2, remove: 2, insert: 'X' });
	});

	it('uses the caret to place an ambiguous insert where it was typed', () => {
		expect(diffText('aa', 'aaa', 1)).toEqual({ index: 0, remove: 0, insert: 'a' });
		expect(diffText('aa', 'aaa', 3)).toEqual({ index: 2, remove: 0, insert: 'a' });
		expect(diffText('aaa', 'aa', 0)).toEqual({ index: 0, remove: 1, insert: '' });
	});

	it('never splits a surrogate pair', () => {
		const change = diffText('a😀b', 'a😃b', 3);
		expect(change).not.toBeNull();
		expect(apply('a😀b', change)).toBe('a😃b');
		expect(change!.insert).toBe('😃');
	});

	it('round-trips arbitrary edits', () => {
		const cases: [string, string, number][] = [
			['', 'new', 3],
			['remove all', '', 0],
			['The quick fox', 'The slow brown fox', 14],
			['xx yy xx', 'xx xx', 3]
		];
		for (const [before, after, caret] of cases)
			expect(apply(before, diffText(before, after, caret))).toBe(after);
	});

	it('lets two people typing in one field merge through Y.Text', () => {
		const left = new Y.Doc();
		const right = new Y.Doc();
		const lt = left.getText('t');
		lt.insert(0, 'Meeting notes');
		Y.applyUpdate(right, Y.encodeStateAsUpdate(left));
		const rt = right.getText('t');
		const l = diffText(lt.toString(), 'Weekly meeting notes', 7)!;
		lt.delete(l.index, l.remove);
		lt.insert(l.index, l.insert);
		const r = diffText(rt.toString(), 'Meeting notes (draft)', 21)!;
		rt.delete(r.index, r.remove);
		rt.insert(r.index, r.insert);
		Y.applyUpdate(right, Y.encodeStateAsUpdate(left));
		Y.applyUpdate(left, Y.encodeStateAsUpdate(right));
		expect(lt.toString()).toBe(rt.toString());
		expect(lt.toString()).toContain('Weekly');
		expect(lt.toString()).toContain('(draft)');
	});
});

describe('transformPosition', () => {
	it('moves a caret past remote text inserted before it, and not for text after it', () => {
		expect(transformPosition(5, [{ retain: 2 }, { insert: 'abc' }])).toBe(8);
		expect(transformPosition(5, [{ retain: 5 }, { insert: 'abc' }])).toBe(5);
		expect(transformPosition(5, [{ retain: 7 }, { insert: 'abc' }])).toBe(5);
	});

	it('pulls a caret back over deleted text, never below the deletion start', () => {
		expect(transformPosition(5, [{ delete: 2 }])).toBe(3);
		expect(transformPosition(5, [{ retain: 3 }, { delete: 10 }])).toBe(3);
		expect(transformPosition(2, [{ retain: 3 }, { delete: 1 }])).toBe(2);
	});
});
