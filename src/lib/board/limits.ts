/**
 * The bounds of a board document at its edge: which top-level types it may have, what an id may
 * look like, and how text is cleaned before it leaves the document for a Postgres row.
 *
 * Why this exists: Yjs accepts any string anywhere, but Postgres does not. A NUL in a title
 * (`invalid byte sequence … 0x00`) or a 4,000-character id in an indexed column (index row size)
 * makes the whole projection batch fail, and a failure that retrying cannot fix would block the
 * board's writer forever. So every value is bounded here, once, before it reaches a row.
 * Framework-free: the server and the tests use it.
 */
import { CARDS_KEY, SETTINGS_KEY } from './document';
import { STANDUP_KEY } from './standup';

/**
 * The only top-level types a board document has (document.ts, pdca.ts). An update that creates
 * any other is refused: nothing reads it, and it would grow the board without bound. A lane that
 * adds a top-level type registers it here.
 */
export const DOCUMENT_ROOTS: ReadonlySet<string> = new Set([CARDS_KEY, SETTINGS_KEY, STANDUP_KEY]);

/** Longest id (card, person, board) the document may use; ours are UUIDs or short prefixed ids. */
export const ID_MAX_LENGTH = 128;

/** Control characters Postgres or a one-line field cannot hold (tab, LF and CR are kept in texts). */
// eslint-disable-next-line no-control-regex
const TEXT_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
// eslint-disable-next-line no-control-regex
const ANY_CONTROL = /[\u0000-\u001F\u007F]/;
const WHITESPACE = /\s/;
/** Half of a surrogate pair without its other half: not valid UTF-8, so not storable. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A string usable as an id in an indexed column: 1–128 characters, no control or space. */
export function isDocumentId(value: unknown): value is string {
	return (
		typeof value === 'string' &&
		value.length > 0 &&
		value.length <= ID_MAX_LENGTH &&
		!ANY_CONTROL.test(value) &&
		!WHITESPACE.test(value)
	);
}

/**
 * `value` without NUL and other control characters (tab, newline and carriage return stay), cut
 * to `max` UTF-16 units, with lone surrogates replaced: always storable as Postgres text.
 */
export function cleanText(value: string, max: number): string {
	return value.replace(TEXT_CONTROL, '').slice(0, max).replace(LONE_SURROGATE, '\uFFFD');
}
