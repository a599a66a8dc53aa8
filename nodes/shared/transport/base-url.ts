import { DEFAULT_BASE_URL } from '../defaults';

/** The credential's Base URL, checked, with what may be sent and what may be shown kept apart. */
export interface BaseUrl {
	/** Where completions are sent: the Base URL's path, then /chat/completions, then its query. */
	endpoint: string;
	/** The Base URL as a message may show it: no password, no query value. */
	shown: string;
	/** The endpoint as a message may show it. */
	shownEndpoint: string;
	/** The only origin the API key may go to (userinfo is no part of it). */
	origin: string;
	/** What the Base URL carries that must never be shown: the password, a lone user name, every query value. */
	secrets: string[];
}

const FIELD = 'The Base URL of the Humiris API credential';

const EXAMPLE = `Write it like ${DEFAULT_BASE_URL}`;

/** A Base URL refused before anything is sent; its message shows the URL redacted only. */
export class BaseUrlError extends Error {
	name = 'BaseUrlError';
}

const MASK = '***';

/** `a=1&b&c=` → `a=***&***&c=***`: keys stay readable, values never do (a bare item may be a token). */
function redactQuery(query: string): string {
	return query
		.split('&')
		.map((part) => {
			if (part === '') return part;
			const equals = part.indexOf('=');
			return equals === -1 ? MASK : `${part.slice(0, equals + 1)}${MASK}`;
		})
		.join('&');
}

/**
 * With a password, the user name is an account and is shown; alone, it is often the token
 * itself (`https://TOKEN@host`), so it is hidden.
 */
function redactUserinfo(userinfo: string): string {
	if (userinfo === '') return '';
	const colon = userinfo.indexOf(':');
	return colon > 0 && colon < userinfo.length - 1 ? `${userinfo.slice(0, colon)}:${MASK}@` : `${MASK}@`;
}

function withScheme(text: string): boolean {
	return /^[a-z][a-z\d+.-]*:\/\//i.test(text);
}

/**
 * For text that does not parse as an absolute URL (a relative Location, a Base URL with a
 * typo or a `#` in its password): everything before the last `@` is taken for userinfo, so a
 * password that broke the parsing is hidden whole, at the price of hiding more than needed.
 */
function redactLoosely(text: string): string {
	const scheme = /^(?:[a-z][a-z\d+.-]*:)?\/\//i.exec(text)?.[0] ?? '';
	const at = text.lastIndexOf('@');
	const hasUserinfo = at > scheme.length && !(scheme === '' && text.startsWith('/'));
	const userinfo = hasUserinfo ? redactUserinfo(text.slice(scheme.length, at)) : '';
	const rest = hasUserinfo ? text.slice(at + 1) : text.slice(scheme.length);
	const hash = rest.indexOf('#');
	const beforeHash = hash === -1 ? rest : rest.slice(0, hash);
	const question = beforeHash.indexOf('?');
	const query = question === -1 ? '' : `?${redactQuery(beforeHash.slice(question + 1))}`;
	const fragment = hash === -1 ? '' : `#${MASK}`;
	return `${scheme}${userinfo}${question === -1 ? beforeHash : beforeHash.slice(0, question)}${query}${fragment}`;
}

function userinfoOf(url: URL): string {
	if (url.username === '' && url.password === '') return '';
	return url.password === '' ? `${url.username}@` : `${url.username}:${url.password}@`;
}

function formatted(url: URL, pathname: string, hide: boolean): string {
	const userinfo = userinfoOf(url);
	const query = url.search === '' ? '' : `?${hide ? redactQuery(url.search.slice(1)) : url.search.slice(1)}`;
	const fragment = url.hash === '' ? '' : hide ? `#${MASK}` : url.hash;
	return `${url.protocol}//${hide ? redactUserinfo(userinfo.slice(0, -1)) : userinfo}${url.host}${pathname}${query}${fragment}`;
}

/**
 * The display form of any URL a message names (a Base URL, a redirect's Location, a hop):
 * the password and every query value become ***. Takes text that does not parse too.
 */
export function redactUrl(url: string): string {
	// A `#` may be one in a password that moved the rest of the userinfo into the fragment.
	if (!withScheme(url) || url.includes('#')) return redactLoosely(url);
	try {
		const parsed = new URL(url);
		// An origin stays an origin: the parser's "/" for an empty path is not shown.
		const pathname = /^[a-z][a-z\d+.-]*:\/\/[^/?#]*$/i.test(url.split('?')[0]) ? '' : parsed.pathname;
		return formatted(parsed, pathname, true);
	} catch {
		return redactLoosely(url);
	}
}

function decoded(text: string): string {
	try {
		return decodeURIComponent(text.replace(/\+/g, ' '));
	} catch {
		return text;
	}
}

function secretsOfUrl(url: URL): string[] {
	const hidden = [url.password, ...(url.password === '' ? [url.username] : [])];
	const values = url.search
		.slice(1)
		.split('&')
		.filter((part) => part !== '')
		.map((part) => (part.includes('=') ? part.slice(part.indexOf('=') + 1) : part));
	const raw = [...hidden, ...values].filter((secret) => secret !== '');
	return [...new Set([...raw, ...raw.map(decoded)])].filter((secret) => secret !== '');
}

export type BaseUrlCheck = { ok: true; url: BaseUrl } | { ok: false; error: BaseUrlError };

function refused(message: string): BaseUrlCheck {
	return { ok: false, error: new BaseUrlError(message) };
}

function parsedUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

/**
 * Checks the credential's Base URL and builds where completions go. Empty means the
 * default. Refused: no http(s) scheme, text that is not a URL, and a `#` (a fragment is
 * never sent, so whatever follows it, often half a password, is lost). A query is kept and
 * goes after the path; userinfo is kept, for the HTTP client sends it as basic auth.
 */
export function checkBaseUrl(raw: unknown): BaseUrlCheck {
	const text = raw === undefined || raw === null ? '' : String(raw).trim();
	if (text === '') return checkBaseUrl(DEFAULT_BASE_URL);
	const shown = redactLoosely(text);
	if (text.includes('#')) {
		return refused(
			`${FIELD}, ${shown}, contains "#", which starts a fragment: a fragment is never sent, so what follows the # would be lost. If the # is part of a password or a query value, write it as %23; otherwise remove it and what follows it.`,
		);
	}
	if (!withScheme(text)) {
		return refused(
			`${FIELD}, ${shown}, does not start with https:// or http://. ${EXAMPLE}, with https:// (or http:// for a proxy without TLS) in front.`,
		);
	}
	const url = parsedUrl(text);
	if (!url) {
		return refused(
			`${FIELD}, ${shown}, is not a valid URL. ${EXAMPLE}; percent-encode any special character in a user name or password (@ as %40, : as %3A).`,
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return refused(
			`${FIELD}, ${redactUrl(text)}, starts with ${url.protocol}//, which the node cannot use: only https:// and http:// are. ${EXAMPLE}.`,
		);
	}
	const path = url.pathname.replace(/\/+$/, '');
	const endpointPath = `${path}/chat/completions`;
	return {
		ok: true,
		url: {
			endpoint: formatted(url, endpointPath, false),
			shown: formatted(url, path, true),
			shownEndpoint: formatted(url, endpointPath, true),
			origin: url.origin,
			secrets: secretsOfUrl(url),
		},
	};
}

/** checkBaseUrl for callers that want the refusal thrown, as a BaseUrlError. */
export function parseBaseUrl(raw: unknown): BaseUrl {
	const check = checkBaseUrl(raw);
	if (!check.ok) throw check.error;
	return check.url;
}
