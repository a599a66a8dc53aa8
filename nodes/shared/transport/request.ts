import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';

import { DEFAULT_BASE_URL } from '../../../credentials/HumirisApi.credentials';
import type { ChatCompletion } from '../api-types';
import { isJson, parseJson } from '../json';
import {
	failureFromCancel,
	failureFromInvalidBody,
	failureFromNetwork,
	failureFromResponse,
	failureFromTimeout,
	HumirisRequestError,
	type HumirisFailure,
} from './errors';

export function trimBaseUrl(baseUrl: unknown): string {
	return (typeof baseUrl === 'string' && baseUrl.trim() ? baseUrl.trim() : DEFAULT_BASE_URL).replace(/\/+$/, '');
}

/** What one item's request needs, resolved once per item by the node. */
export interface CompletionRequest {
	baseUrl: string;
	body: IDataObject;
	timeoutMs: number;
	/**
	 * Fetched once per run and handed to n8n with every request: otherwise n8n loads and
	 * decrypts the credential again for each one. Carries the MixTuning ID override, if any.
	 */
	credentials: ICredentialDataDecryptedObject;
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
	context: IExecuteFunctions,
	error: TransportErrorShape,
	request: CompletionRequest,
): HumirisFailure {
	const code = transportCode(error);
	if (code === 'ERR_CANCELED' || context.getExecutionCancelSignal()?.aborted === true) return failureFromCancel();
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
 * as a HumirisRequestError. The execution's cancel signal is attached by n8n itself.
 */
export async function requestCompletion(
	this: IExecuteFunctions,
	request: CompletionRequest,
): Promise<ChatCompletion> {
	let response: IN8nHttpFullResponse | undefined;
	let transportError: TransportErrorShape | undefined;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
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
	const completion = asCompletion(body);
	if (!completion) {
		throw new HumirisRequestError(failureFromInvalidBody(statusCode, body, contentTypeOf(headers)));
	}
	return completion;
}
