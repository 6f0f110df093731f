/**
 * The one rule for text people type into a form (names, titles, notes), framework-free so every
 * form and any other entry point can share it:
 * - broken UTF-16 (a lone surrogate, from a bad paste or a crafted request) is refused: it cannot
 *   be stored faithfully;
 * - control characters are refused: NUL makes Postgres refuse the row (a 500 before), BEL, ESC
 *   and friends do nothing good in a name and can drive a terminal reading the logs. Multi-line
 *   fields keep line feeds and tabs (a browser sends a textarea's line breaks as CR LF; they
 *   become LF);
 * - the text is normalised to Unicode NFC, so "é" typed two ways is one name, one length and one
 *   match in a unique index;
 * - in names, the bidi override and isolate characters are refused: they can make one person's or
 *   team's name display as another's ("Trojan Source"). Running text keeps them, since right-to-
 *   left writers may need them in prose.
 */

export const TEXT_KINDS = ['name', 'line', 'multiline'] as const;
/** `name`: a person, team, board or organisation; `line`: other one-line text; `multiline`: notes. */
export type TextKind = (typeof TEXT_KINDS)[number];

export type TextProblem = 'malformed' | 'control' | 'line_break' | 'bidi';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// C0 controls except TAB, LF and CR (judged per kind below), DEL, and the C1 controls.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// TAB, LF, CR and the Unicode line and paragraph separators: fine in notes, not in a one-line field.
const LINE_BREAK_OR_TAB = /[\t\n\r\u2028\u2029]/;
// LRE RLE PDF LRO RLO, and LRI RLI FSI PDI.
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

/** The text as it will be stored: NFC, with a textarea's CR LF (or a lone CR) as LF. */
export function normaliseText(value: string, kind: TextKind): string {
	const text = value.normalize('NFC');
	return kind === 'multiline' ? text.replace(/\r\n?/g, '\n') : text;
}

/** What is wrong with an already normalised text for this kind of field, or null. */
export function findTextProblem(text: string, kind: TextKind): TextProblem | null {
	if (LONE_SURROGATE.test(text)) return 'malformed';
	if (CONTROL.test(text)) return 'control';
	if (kind === 'multiline') {
		if (text.includes('\r')) return 'control'; // cannot remain after normaliseText
	} else if (LINE_BREAK_OR_TAB.test(text)) {
		return 'line_break';
	}
	if (kind === 'name' && BIDI_CONTROL.test(text)) return 'bidi';
	return null;
}
