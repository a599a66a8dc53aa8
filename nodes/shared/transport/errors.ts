/**
 * Every way a call to Humiris can fail, turned into words an operations team can act on.
 * Pure functions: the transport feeds them what it saw, the node turns the result into a
 * NodeApiError (or an error item under "continue on fail").
 */

export interface HumirisFailure {
	/** Stable, machine-readable; what an IF node downstream can branch on. */
	code: string;
	/** One sentence: what went wrong and what to do about it. */
	message: string;
	/** The detail behind it: the HTTP status and the API's own words. */
	description: string;
	/** HTTP status, when the API answered at all. */
	status: number | null;
	/** Whether the same request may succeed if sent again. */
	retryable: boolean;
	/** How long the API asked us to wait before trying again, when it said. */
	retryAfterMs?: number;
	/** Requests sent for this item before giving up; 0 when none was worth sending. */
	attempts?: number;
}

/** Carries a HumirisFailure through `throw` until the node turns it into an n8n error. */
export class HumirisRequestError extends Error {
	constructor(readonly failure: HumirisFailure) {
		super(failure.message);
	}
}

const API_TEXT_LIMIT = 500;

/** The API's own explanation, wherever its body keeps it. */
export function apiText(body: unknown): string {
	if (body === undefined || body === null || body === '') return '';
	if (typeof body === 'string') return body.trim().slice(0, API_TEXT_LIMIT);
	if (typeof body !== 'object') return String(body);
	const record = body as Record<string, unknown>;
	const nested = record.error;
	const parts = [
		typeof nested === 'object' && nested !== null ? (nested as Record<string, unknown>).message : nested,
		record.message,
		record.detail,
	].filter((part): part is string => typeof part === 'string' && part !== '');
	const text = [...new Set(parts)].join(': ') || JSON.stringify(body);
	return text.slice(0, API_TEXT_LIMIT);
}

function mentions(body: unknown, word: RegExp): boolean {
	return word.test(typeof body === 'string' ? body : JSON.stringify(body ?? ''));
}

function detail(status: number, body: unknown): string {
	const said = apiText(body);
	return said ? `HTTP ${status}. Humiris said: ${said}` : `HTTP ${status}, with no explanation from Humiris.`;
}

/** Seconds or an HTTP date in Retry-After, or milliseconds in retry-after-ms. */
export function parseRetryAfter(
	headers: Record<string, unknown> | undefined,
	now: number = Date.now(),
): number | undefined {
	if (!headers) return undefined;
	const header = (name: string) => {
		const value = headers[name] ?? headers[name.toLowerCase()];
		return Array.isArray(value) ? value[0] : value;
	};
	const ms = Number(header('retry-after-ms'));
	if (Number.isFinite(ms) && ms >= 0 && header('retry-after-ms') !== undefined) return ms;
	const raw = header('retry-after');
	if (raw === undefined || raw === null || raw === '') return undefined;
	const seconds = Number(raw);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(String(raw));
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function failureFromResponse(
	status: number,
	body: unknown,
	headers?: Record<string, unknown>,
): HumirisFailure {
	const description = detail(status, body);
	const base = { status, description, retryable: false };
	if (status === 401 || status === 403) {
		return {
			...base,
			code: 'UNAUTHORIZED',
			message:
				'Humiris rejected the API key. Open the Humiris API credential and paste the key again from your Humiris dashboard.',
		};
	}
	if (status === 404) {
		return mentions(body, /mix.?tuning/i)
			? {
					...base,
					code: 'MIX_TUNING_NOT_FOUND',
					message:
						'Humiris does not know this MixTuning ID. Check the MixTuning ID in the credential (or the node\'s MixTuning ID Override) against your Humiris dashboard.',
				}
			: {
					...base,
					code: 'ENDPOINT_NOT_FOUND',
					message:
						'The chat completions endpoint was not found. Check the Base URL in the Humiris API credential: it should end in /api/v1.',
				};
	}
	if (status === 400 && mentions(body, /mix.?tuning/i)) {
		return {
			...base,
			code: 'MIX_TUNING_ID_MISSING',
			message:
				'Humiris says the MixTuning ID is missing. Fill in the MixTuning ID in the Humiris API credential or the node\'s MixTuning ID Override.',
		};
	}
	if (status === 400 || status === 422) {
		return {
			...base,
			code: 'BAD_REQUEST',
			message: `Humiris rejected the request as invalid: ${apiText(body) || 'no reason given'}. Check the messages, model and options.`,
		};
	}
	if (status === 429) {
		return {
			...base,
			code: 'RATE_LIMITED',
			retryable: true,
			retryAfterMs: parseRetryAfter(headers),
			message: 'Humiris is rate limiting requests (429 Too Many Requests). Lower the concurrency or try again later.',
		};
	}
	if (status === 408 || status === 409 || status >= 500) {
		return {
			...base,
			code: status >= 500 ? 'SERVER_ERROR' : 'TRY_AGAIN',
			retryable: true,
			retryAfterMs: parseRetryAfter(headers),
			message: `Humiris had a temporary problem (HTTP ${status}). Try again in a moment.`,
		};
	}
	return {
		...base,
		code: 'HTTP_ERROR',
		message: `Humiris answered with HTTP ${status}: ${apiText(body) || 'no reason given'}.`,
	};
}

const NETWORK_WORDS: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name could not be found',
	EAI_AGAIN: 'the host name could not be looked up',
	ECONNRESET: 'the connection was dropped',
	EPIPE: 'the connection was dropped',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
};

export function failureFromNetwork(code: string | undefined, baseUrl: string): HumirisFailure {
	const known = code ? NETWORK_WORDS[code] : undefined;
	return {
		code: code ?? 'NETWORK_ERROR',
		status: null,
		retryable: true,
		message: `Could not reach Humiris at ${baseUrl}: ${known ?? 'the connection failed'}. Check the Base URL in the Humiris API credential and that this n8n can reach it.`,
		description: `Network error${code ? ` ${code}` : ''} while calling ${baseUrl}/chat/completions.`,
	};
}

export function failureFromTimeout(timeoutMs: number): HumirisFailure {
	const seconds = Math.round(timeoutMs / 100) / 10;
	return {
		code: 'TIMEOUT',
		status: null,
		retryable: true,
		message: `Humiris did not answer within ${seconds} s. Raise the node's Timeout option, or try again later.`,
		description: `No response after ${timeoutMs} ms (the Timeout option).`,
	};
}

export function failureFromInvalidBody(status: number, body: unknown, contentType: string | undefined): HumirisFailure {
	const isText = typeof body === 'string';
	return {
		code: 'INVALID_RESPONSE',
		status,
		retryable: status >= 500,
		message: isText
			? `Humiris answered with ${contentType?.split(';')[0] || 'something'} instead of JSON. The Base URL may point at a web page or proxy rather than the API.`
			: 'Humiris answered without any completion (no "choices" in the response).',
		description: `HTTP ${status}${contentType ? `, ${contentType}` : ''}. The response began: ${(isText ? body : JSON.stringify(body) ?? '').slice(0, 200)}`,
	};
}

export function failureFromCancel(): HumirisFailure {
	return {
		code: 'CANCELLED',
		status: null,
		retryable: false,
		message: 'The execution was canceled before Humiris answered.',
		description: 'The request was aborted because the workflow execution was stopped.',
	};
}

/** Defence in depth: whatever a proxy or the API echoes back, the key never leaves the node. */
export function redactFailure(failure: HumirisFailure, secrets: string[]): HumirisFailure {
	const hide = (text: string) =>
		secrets.filter((secret) => secret.length >= 4).reduce((out, secret) => out.split(secret).join('***'), text);
	return { ...failure, message: hide(failure.message), description: hide(failure.description) };
}
