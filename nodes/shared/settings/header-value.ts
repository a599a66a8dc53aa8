import { labelOf, SettingError, type Place } from './setting';

/** What Node's HTTP client lets through a header unchanged: visible ASCII and the space. */
const UNSENDABLE = /[^\x20-\x7e]/u;

function named(char: string): string {
	const code = `U+${char.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`;
	if (char === '\n' || char === '\r') return `a line break (${code})`;
	if (char === '\t') return `a tab (${code})`;
	if (/\p{C}/u.test(char)) return `an invisible control character (${code})`;
	return `"${char}" (${code})`;
}

/**
 * The API key and the MixTuning ID travel as headers. A character outside visible ASCII is
 * dropped or mangled on the way (a Cyrillic ID arrives empty, a line break is cut silently),
 * so Humiris would answer about a value the user never typed: refused here, naming the
 * character, never quoting the value (it may be the key).
 */
export function headerSafe(displayName: string, place: Place, advice: string): (text: string) => void {
	return (text) => {
		const found = UNSENDABLE.exec(text);
		if (!found) return;
		throw new SettingError(
			displayName,
			`${labelOf(displayName, place)} contains ${named(found[0])}, a character that cannot be sent in an HTTP header. ${advice}`,
		);
	};
}
