/**
 * Every way a call to Humiris can fail, turned into words an operations team can act on.
 * Pure functions: the transport feeds them what it saw, the node turns the result into a
 * NodeApiError (or an error item under "continue on fail").
 */

import { TRANSPORT_MESSAGES, USER_MESSAGES } from '../user-messages';
import type { BaseUrl, BaseUrlError } from './base-url';

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
	/** How many of those attempts Humiris answered with 429: they do not count as retries. */
	rateLimited?: number;
	/**
	 * The request went out and no answer came back (a timeout, a connection dropped after
	 * sending): Humiris may have processed, and billed, it. Retried only when the user says so.
	 */
	mayHaveBeenProcessed?: boolean;
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
	if (typeof body === 'string') return withoutImageData(body.trim()).slice(0, API_TEXT_LIMIT);
	if (typeof body !== 'object') return String(body);
	const record = body as Record<string, unknown>;
	const nested = record.error;
	const parts = [
		typeof nested === 'object' && nested !== null ? (nested as Record<string, unknown>).message : nested,
		record.message,
		record.detail,
	].filter((part): part is string => typeof part === 'string' && part !== '');
	const text = [...new Set(parts)].join(': ') || JSON.stringify(body);
	return withoutImageData(text).slice(0, API_TEXT_LIMIT);
}

/** An API that echoes the request back must not put an image's bytes in an error message. */
function withoutImageData(text: string): string {
	return text.replace(/(data:[\w.+-]+\/[\w.+-]+;base64,)[A-Za-z0-9+/=]+/g, '$1…');
}

/** Text-only models and gateways refuse image parts with a 400, 415 or 422 that says what they refused. */
const IMAGE_WORDS = /image|content.?part/i;

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


/** A sentence from USER_MESSAGES with the API's own words appended, when it gave any. */
function withReason(sentence: string, body: unknown): string {
	const said = apiText(body);
	return said ? `${sentence} Humiris said: ${said}` : sentence;
}

const MIX_TUNING = /mix.?tuning/i;

function isHtml(body: unknown): boolean {
	return typeof body === 'string' && /^\s*</.test(body);
}

/**
 * A 404 is proven to fail for every item only when it names the endpoint (a web server's
 * "Cannot POST" or a proxy's HTML page) or the MixTuning ID; an unknown model is the item's
 * own (the Model field takes expressions), and a 404 with no clue is nobody's in particular.
 */
function notFoundFailure(base: Omit<HumirisFailure, 'code' | 'message'>, body: unknown): HumirisFailure {
	if (mentions(body, MIX_TUNING)) return { ...base, code: 'MIX_TUNING_NOT_FOUND', message: USER_MESSAGES.mixTuningNotFound };
	if (!isHtml(body) && mentions(body, /model/i)) {
		return {
			...base,
			code: 'MODEL_NOT_FOUND',
			message: withReason('Humiris does not know the model this item asked for (404). Check the Model field.', body),
		};
	}
	if (isHtml(body) || mentions(body, /cannot (post|get)|no route|not found: \/|route .* not found/i)) {
		return { ...base, code: 'ENDPOINT_NOT_FOUND', message: USER_MESSAGES.endpointNotFound };
	}
	return { ...base, code: 'NOT_FOUND', message: withReason(USER_MESSAGES.notFound, body) };
}

export function failureFromResponse(
	status: number,
	body: unknown,
	headers?: Record<string, unknown>,
): HumirisFailure {
	const description = detail(status, body);
	const base = { status, description, retryable: false };
	if (status === 401) return { ...base, code: 'UNAUTHORIZED', message: USER_MESSAGES.unauthorized };
	if (status === 403) return { ...base, code: 'FORBIDDEN', message: withReason(USER_MESSAGES.forbidden, body) };
	if (status === 404) return notFoundFailure(base, body);
	if (status === 400 && mentions(body, MIX_TUNING)) {
		return { ...base, code: 'MIX_TUNING_ID_MISSING', message: USER_MESSAGES.mixTuningIdMissing };
	}
	if ((status === 400 || status === 415 || status === 422) && mentions(body, IMAGE_WORDS)) {
		return { ...base, code: 'IMAGE_REFUSED', message: withReason(TRANSPORT_MESSAGES.imageRefused(status), body) };
	}
	if (status === 400 || status === 422) {
		const sentence = status === 400 ? USER_MESSAGES.badRequest : USER_MESSAGES.badRequest.replace('400 Bad Request', 'HTTP 422');
		return { ...base, code: 'BAD_REQUEST', message: withReason(sentence, body) };
	}
	if (status === 429) {
		return {
			...base,
			code: 'RATE_LIMITED',
			retryable: true,
			retryAfterMs: parseRetryAfter(headers),
			message: USER_MESSAGES.rateLimited,
		};
	}
	if (status === 408 || status >= 500) {
		return {
			...base,
			code: status >= 500 ? 'SERVER_ERROR' : 'TRY_AGAIN',
			retryable: true,
			retryAfterMs: parseRetryAfter(headers),
			message: `Humiris had a temporary problem (HTTP ${status}). Try again in a moment.`,
		};
	}
	// 409 and the rest: nothing documents that sending the same completion again is safe.
	return {
		...base,
		code: 'HTTP_ERROR',
		message: `Humiris answered with HTTP ${status}: ${apiText(body) || 'no reason given'}.`,
	};
}

/**
 * The status a 2xx body claims for itself, when it is an error in disguise: a gateway that
 * wraps every answer in 200, or an API that puts its status in the body.
 */
export function statusCarriedBy(body: unknown): number | undefined {
	if (typeof body !== 'object' || body === null || Array.isArray(body) || 'choices' in body) return undefined;
	const record = body as Record<string, unknown>;
	const nested = typeof record.error === 'object' && record.error !== null ? (record.error as Record<string, unknown>) : {};
	const claimed = [record.statusCode, record.status, nested.status, nested.code]
		.map(Number)
		.find((value) => Number.isInteger(value) && value >= 400 && value <= 599);
	if (claimed !== undefined) return claimed;
	if (record.error === undefined || record.error === null) return undefined;
	// An error without a status: the one the contract names is a 404; anything else, a refusal.
	return mentions(record.error, /MixTuningNotFound/i) ? 404 : 400;
}

/** Words for a wait longer than the user allows, naming what asked for it. */
export function tooLongToWait(failure: HumirisFailure, waitMs: number): HumirisFailure {
	const seconds = Math.ceil(waitMs / 1000);
	const who =
		failure.code === 'RATE_LIMITED'
			? 'Humiris is rate limiting requests'
			: `Humiris is temporarily unavailable (HTTP ${failure.status ?? 'error'})`;
	return {
		...failure,
		retryable: false,
		message: `${who} and asks to wait ${seconds} s, longer than the node's Max Retry Wait. Raise Max Retry Wait, lower the concurrency, or try again later.`,
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

/** Failures that happen before a request reaches Humiris: sending it again cannot pay twice. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'CERT_HAS_EXPIRED']);

/** Takes the checked Base URL, not its text: a message may only name it redacted. */
export function failureFromNetwork(code: string | undefined, url: Pick<BaseUrl, 'shown' | 'shownEndpoint'>): HumirisFailure {
	const known = code ? NETWORK_WORDS[code] : undefined;
	return {
		code: code ?? 'NETWORK_ERROR',
		status: null,
		retryable: true,
		...(code !== undefined && NEVER_SENT.has(code) ? {} : { mayHaveBeenProcessed: true }),
		message: `Could not reach Humiris at ${url.shown}: ${known ?? 'the connection failed'}. Check the Base URL in the Humiris API credential and that this n8n can reach it.`,
		description: `Network error${code ? ` ${code}` : ''} while calling ${url.shownEndpoint}.`,
	};
}

/** A Base URL refused before sending: the same for every item, and never worth sending again. */
export function failureFromBaseUrl(error: BaseUrlError): HumirisFailure {
	return {
		code: 'INVALID_BASE_URL',
		status: null,
		retryable: false,
		attempts: 0,
		message: error.message,
		description: 'No request was sent. Fix the Base URL in the Humiris API credential.',
	};
}

/** `answering`: the status and headers had come, the body had not finished. */
export function failureFromTimeout(timeoutMs: number, answering = false): HumirisFailure {
	const seconds = Math.round(timeoutMs / 100) / 10;
	return {
		code: 'TIMEOUT',
		status: null,
		retryable: true,
		mayHaveBeenProcessed: true,
		message: answering ? TRANSPORT_MESSAGES.answerNotFinishedInTime(seconds) : TRANSPORT_MESSAGES.noAnswerInTime(seconds),
		description: answering
			? `The answer was still arriving after ${timeoutMs} ms (the Timeout option, from sending to the last byte).`
			: `No response after ${timeoutMs} ms (the Timeout option).`,
	};
}

/** The body stopped before its end: the request was received, and may have been processed. */
export function failureFromCutAnswer(status: number, bytes: number): HumirisFailure {
	return {
		code: 'ANSWER_CUT',
		status,
		retryable: true,
		mayHaveBeenProcessed: true,
		message: TRANSPORT_MESSAGES.answerCut(bytes),
		description: `HTTP ${status}; the connection closed after ${bytes} bytes of the body, before its end.`,
	};
}

export function failureFromOversizedAnswer(status: number, limitBytes: number): HumirisFailure {
	return {
		code: 'ANSWER_TOO_LARGE',
		status,
		retryable: false,
		message: TRANSPORT_MESSAGES.answerTooLarge(),
		description: `HTTP ${status}; the body went past ${limitBytes} bytes and was not read further.`,
	};
}

export function failureFromEventStream(status: number, contentType: string): HumirisFailure {
	return {
		code: 'EVENT_STREAM',
		status,
		retryable: false,
		message: TRANSPORT_MESSAGES.eventStream(),
		description: `HTTP ${status}, ${contentType}. The stream was closed unread.`,
	};
}

function looksLikeJson(text: string, contentType: string | undefined): boolean {
	return !isHtml(text) && (/json/i.test(contentType ?? '') || /^\s*[[{]/.test(text));
}

export function failureFromInvalidBody(status: number, body: unknown, contentType: string | undefined): HumirisFailure {
	const isText = typeof body === 'string';
	const described = `HTTP ${status}${contentType ? `, ${contentType}` : ''}.`;
	const base = { status, retryable: false };
	if (isText && body.trim() === '') {
		return { ...base, code: 'EMPTY_RESPONSE', message: TRANSPORT_MESSAGES.emptyAnswer, description: `${described} The body was empty.` };
	}
	const began = `The response began: ${(isText ? body : JSON.stringify(body) ?? '').slice(0, 200)}`;
	if (isText && looksLikeJson(body, contentType)) {
		return { ...base, code: 'BROKEN_JSON', message: TRANSPORT_MESSAGES.brokenJson(status), description: `${described} ${began}` };
	}
	return {
		...base,
		code: 'INVALID_RESPONSE',
		message: isText
			? `${USER_MESSAGES.notACompletion} It answered with ${contentType?.split(';')[0] || 'something'} instead of JSON.`
			: 'Humiris answered without any completion (no "choices" in the response).',
		description: `${described} ${began}`,
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
