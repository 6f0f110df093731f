/**
 * The languages Tillit speaks, for code that cannot import the generated Paraglide runtime (the
 * framework-free server modules). Must match project.inlang/settings.json.
 */
export const LOCALES = ['sv', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export function isSupportedLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
