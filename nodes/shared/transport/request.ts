import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IN8nHttpFullResponse,
	ISupplyDataFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { ChatCompletion } from '../api-types';
import { DEFAULT_BASE_URL } from '../defaults';
import { isJson, parseJson } from '../json';
import { MAX_ANSWER_BYTES } from '../user-messages';
import { discardBody, readAnswer, type AnswerRead } from './answer-body';
import { checkBaseUrl, type BaseUrl } from './base-url';
import {
	failureFromBaseUrl,
	failureFromCancel,
	failureFromCutAnswer,
	failureFromEventStream,
	failureFromInvalidBody,
	failureFromNetwork,
	failureFromOversizedAnswer,
	failureFromResponse,
	failureFromTimeout,
	HumirisRequestError,
	statusCarriedBy,
	type HumirisFailure,
} from './errors';
import { redirectStep } from './redirects';
import { TIMER_CLEARED } from './timer-cleared';

/** The credential's Base URL, checked: a refused one fails as INVALID_BASE_URL, with nothing sent. */
export function checkedBaseUrl(baseUrl: unknown): BaseUrl {
	const check = checkBaseUrl(baseUrl);
	if (!check.ok) throw new HumirisRequestError(failureFromBaseUrl(check.error));
	return check.url;
}

/**
 * The Base URL as the user wrote it, trimmed: what a request carries and the governors key
 * on. Checked here, where both nodes read it, so a refused one fails before any request.
 */
export function trimBaseUrl(baseUrl: unknown): string {
	checkedBaseUrl(baseUrl);
	return (typeof baseUrl === 'string' && baseUrl.trim() ? baseUrl.trim() : DEFAULT_BASE_URL).replace(/\/+$/, '');
}

/**
 * What both nodes hand the transport: Humiris Chat its execute context, the Chat Model its
 * supply-data context. Both authenticate requests and know when the execution is stopped.
 */
export type TransportContext = IExecuteFunctions | ISupplyDataFunctions;

/** What one request needs, resolved by the node before sending. */
export interface CompletionRequest {
	baseUrl: string;
	body: IDataObject;
	timeoutMs: number;
	/**
	 * Fetched once per run and handed to n8n with every request: otherwise n8n loads and
	 * decrypts the credential again for each one. Carries the MixTuning ID override, if any.
	 */
	credentials: ICredentialDataDecryptedObject;
	/**
	 * Used instead of the execution's cancel signal when set: build it with cancelSignal(),
	 * so that it also carries a caller's own reason to give up (the AI Agent aborting a
	 * model call it no longer needs).
	 */
	signal?: AbortSignal;
}

/** Aborts when the execution is stopped or when the caller's own signal fires, whichever is first. */
export function cancelSignal(context: TransportContext, own?: AbortSignal): AbortSignal | undefined {
	const signals = [context.getExecutionCancelSignal(), own].filter((signal): signal is AbortSignal => !!signal);
	return signals.length > 1 ? AbortSignal.any(signals) : signals[0];
}

/**
 * n8n puts the context's cancel signal on every authenticated request, replacing any
 * abortSignal in the options, so a request's own signal travels as the context's.
 */
function withCancelSignal(context: TransportContext, signal: AbortSignal): TransportContext {
	return Object.create(context, { getExecutionCancelSignal: { value: () => signal } }) as TransportContext;
}

interface TransportErrorShape {
	code?: string;
	message?: string;
	cause?: TransportErrorShape;
}

function transportCode(error: TransportErrorShape): string | undefined {
	for (let current: TransportErrorShape | undefined = error; current; current = current.cause) {
		if (typeof current.code === 'string') return current.code;
	}
	return undefined;
}

/**
 * One answer's signals: `cancel` when the execution is stopped or the caller gives up,
 * `deadline` when the Timeout has passed since the first byte was sent, `either` for n8n.
 * `release` unhooks `either` from the execution's signal, which outlives every request.
 */
interface AnswerSignals {
	cancel: AbortSignal | undefined;
	deadline: AbortSignal;
	either: AbortSignal;
	release: () => void;
}

function answerSignals(context: TransportContext, request: CompletionRequest): AnswerSignals {
	const cancel = request.signal ?? context.getExecutionCancelSignal();
	const deadline = new AbortController();
	const finished = new AbortController();
	// A timer the end of the answer clears (n8n 2.x's sleep honours the signal; 1.x's runs
	// out harmlessly): thousands of items must not each leave one pending for the Timeout.
	void sleep(request.timeoutMs, finished.signal).then(
		() => finished.signal.aborted || deadline.abort(),
		() => undefined,
	);
	const either = new AbortController();
	const abort = () => either.abort();
	const sources = [cancel, deadline.signal].filter((signal): signal is AbortSignal => !!signal);
	for (const source of sources) {
		if (source.aborted) abort();
		source.addEventListener('abort', abort, { once: true });
	}
	const release = () => {
		finished.abort(TIMER_CLEARED);
		sources.forEach((source) => source.removeEventListener('abort', abort));
	};
	return { cancel, deadline: deadline.signal, either: either.signal, release };
}

function failureFromTransport(
	error: TransportErrorShape,
	url: BaseUrl,
	request: CompletionRequest,
	signals: AnswerSignals,
): HumirisFailure {
	const code = transportCode(error);
	if (signals.cancel?.aborted) return failureFromCancel();
	if (signals.deadline.aborted) return failureFromTimeout(request.timeoutMs);
	if (code === 'ERR_CANCELED') return failureFromCancel();
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(error.cause?.message ?? error.message ?? '')) {
		return failureFromTimeout(request.timeoutMs);
	}
	return failureFromNetwork(code, url);
}

function headerOf(headers: IDataObject | undefined, name: string): string | undefined {
	const value = headers?.[name];
	return typeof value === 'string' ? value : undefined;
}

function asCompletion(body: unknown): ChatCompletion | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const choices = (body as ChatCompletion).choices;
	if (!Array.isArray(choices) || choices.length === 0) return undefined;
	const message = choices[0]?.message;
	return typeof message === 'object' && message !== null ? (body as ChatCompletion) : undefined;
}

/**
 * One POST as n8n sends it, the key added by the credential. Redirects come back as answers
 * (n8n would carry the key's headers to any host), HTTP errors too, so their status, body
 * and Retry-After reach the error mapping intact; the body comes as a stream, read here.
 */
async function post(
	context: TransportContext,
	request: CompletionRequest,
	url: string,
	signal: AbortSignal,
): Promise<{ response: IN8nHttpFullResponse } | { error: TransportErrorShape }> {
	try {
		const response = (await context.helpers.httpRequestWithAuthentication.call(
			withCancelSignal(context, signal),
			'humirisApi',
			{
				method: 'POST',
				url,
				body: request.body,
				json: true,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				// n8n's timeout is an idle timer; the deadline in the signal bounds the whole answer.
				timeout: request.timeoutMs,
				abortSignal: signal,
			},
			{ credentialsDecrypted: { id: '', name: '', type: 'humirisApi', data: request.credentials } },
		)) as IN8nHttpFullResponse;
		return { response };
	} catch (error) {
		return { error: (error ?? {}) as TransportErrorShape };
	}
}

/** Sends, following same-origin 307/308 only; every other redirect fails before the key could go further. */
async function sendFollowingRedirects(
	context: TransportContext,
	request: CompletionRequest,
	signals: AnswerSignals,
): Promise<IN8nHttpFullResponse> {
	const url = checkedBaseUrl(request.baseUrl);
	const visited = [url.endpoint];
	for (;;) {
		const sent = await post(context, request, visited[visited.length - 1], signals.either);
		if ('error' in sent) throw new HumirisRequestError(failureFromTransport(sent.error, url, request, signals));
		const { response } = sent;
		const step = redirectStep(response.statusCode, headerOf(response.headers, 'location'), visited);
		if (!step) return response;
		discardBody(response.body);
		if ('failure' in step) throw new HumirisRequestError(step.failure);
		visited.push(step.follow);
	}
}

/** Why a body could not be read whole, in the words of what most likely happened. */
function unreadBodyFailure(
	response: IN8nHttpFullResponse,
	read: Extract<AnswerRead, { ok: false }>,
	request: CompletionRequest,
	signals: AnswerSignals,
): HumirisFailure {
	const { statusCode, headers } = response;
	if (signals.cancel?.aborted) return failureFromCancel();
	// An error status is the answer, whatever became of the page that came with it.
	if (statusCode >= 300) return failureFromResponse(statusCode, read.text, headers);
	if (read.reason === 'too-large') return failureFromOversizedAnswer(statusCode, MAX_ANSWER_BYTES);
	if (signals.deadline.aborted) return failureFromTimeout(request.timeoutMs, true);
	return failureFromCutAnswer(statusCode, read.bytes);
}

async function answerWithin(
	context: TransportContext,
	request: CompletionRequest,
	signals: AnswerSignals,
): Promise<ChatCompletion> {
	const response = await sendFollowingRedirects(context, request, signals);
	const { statusCode, headers } = response;
	const contentType = headerOf(headers, 'content-type');
	if (statusCode < 300 && /^\s*text\/event-stream/i.test(contentType ?? '')) {
		// A stream may never end: it is closed unread.
		discardBody(response.body);
		throw new HumirisRequestError(failureFromEventStream(statusCode, contentType ?? ''));
	}
	const read = await readAnswer(response.body, headers, signals.either);
	if (!read.ok) throw new HumirisRequestError(unreadBodyFailure(response, read, request, signals));

	const parsed = typeof read.body === 'string' ? parseJson(read.body) : read.body;
	// A body that is not JSON is reported as it came, so the user sees what answered instead.
	const body = isJson(parsed) ? parsed : read.body;
	if (statusCode >= 300) {
		throw new HumirisRequestError(failureFromResponse(statusCode, body, headers));
	}
	const carried = statusCarriedBy(body);
	if (carried !== undefined) {
		const failure = failureFromResponse(carried, body, headers);
		throw new HumirisRequestError({
			...failure,
			description: failure.description.replace(/^HTTP \d+/, `HTTP ${statusCode} carrying an error (${carried})`),
		});
	}
	const completion = asCompletion(body);
	if (!completion) {
		throw new HumirisRequestError(failureFromInvalidBody(statusCode, body, contentType));
	}
	return completion;
}

/**
 * One attempt at one completion, bounded in time (the Timeout, from sending to the last
 * byte, redirects included) and in size (MAX_ANSWER_BYTES). Every failure leaves as a
 * HumirisRequestError.
 */
export async function requestCompletion(
	this: TransportContext,
	request: CompletionRequest,
): Promise<ChatCompletion> {
	const signals = answerSignals(this, request);
	try {
		return await answerWithin(this, request, signals);
	} finally {
		signals.release();
	}
}
