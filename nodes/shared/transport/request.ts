import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IN8nHttpFullResponse,
	ISupplyDataFunctions,
} from 'n8n-workflow';

import type { ChatCompletion } from '../api-types';
import { DEFAULT_BASE_URL } from '../defaults';
import { isJson, parseJson } from '../json';
import {
	failureFromCancel,
	failureFromInvalidBody,
	failureFromNetwork,
	failureFromResponse,
	failureFromTimeout,
	HumirisRequestError,
	statusCarriedBy,
	type HumirisFailure,
} from './errors';

export function trimBaseUrl(baseUrl: unknown): string {
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

function failureFromTransport(
	context: TransportContext,
	error: TransportErrorShape,
	request: CompletionRequest,
): HumirisFailure {
	const code = transportCode(error);
	const canceled = (request.signal ?? context.getExecutionCancelSignal())?.aborted === true;
	if (code === 'ERR_CANCELED' || canceled) return failureFromCancel();
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(error.cause?.message ?? error.message ?? '')) {
		return failureFromTimeout(request.timeoutMs);
	}
	return failureFromNetwork(code, request.baseUrl);
}

function contentTypeOf(headers: IDataObject | undefined): string | undefined {
	const value = headers?.['content-type'];
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
 * One attempt at one completion. HTTP errors come back as responses (not exceptions) so
 * their status, body and Retry-After reach the error mapping intact; every failure leaves
 * as a HumirisRequestError. The cancel signal is attached by n8n itself.
 */
export async function requestCompletion(
	this: TransportContext,
	request: CompletionRequest,
): Promise<ChatCompletion> {
	let response: IN8nHttpFullResponse | undefined;
	let transportError: TransportErrorShape | undefined;
	const sender = request.signal ? withCancelSignal(this, request.signal) : this;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(
			sender,
			'humirisApi',
			{
				method: 'POST',
				url: `${request.baseUrl}/chat/completions`,
				body: request.body,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: request.timeoutMs,
			},
			{ credentialsDecrypted: { id: '', name: '', type: 'humirisApi', data: request.credentials } },
		)) as IN8nHttpFullResponse;
	} catch (error) {
		transportError = error as TransportErrorShape;
	}
	if (!response) throw new HumirisRequestError(failureFromTransport(this, transportError ?? {}, request));

	const { statusCode, headers } = response;
	if (statusCode >= 400) {
		throw new HumirisRequestError(failureFromResponse(statusCode, response.body, headers));
	}
	const parsed = typeof response.body === 'string' ? parseJson(response.body) : response.body;
	// A body that is not JSON is reported as it came, so the user sees what answered instead.
	const body = isJson(parsed) ? parsed : response.body;
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
		throw new HumirisRequestError(failureFromInvalidBody(statusCode, body, contentTypeOf(headers)));
	}
	return completion;
}
