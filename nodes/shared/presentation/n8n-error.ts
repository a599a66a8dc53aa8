import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { HumirisFailure } from '../transport/errors';

/** The fields of a failure a user may see, in an error item or in the error's details. */
export function failureJson(failure: HumirisFailure): JsonObject {
	return {
		message: failure.message,
		description: failure.description,
		status: failure.status,
		code: failure.code,
		retryable: failure.retryable,
		...(failure.attempts === undefined ? {} : { attempts: failure.attempts }),
	};
}

/**
 * Built from our own summary, never the transport error: that one holds the request headers,
 * and with them the API key. Pass a failure already redacted.
 */
export function toNodeApiError(node: INode, failure: HumirisFailure, itemIndex?: number): NodeApiError {
	const error = new NodeApiError(node, failureJson(failure), {
		message: failure.message,
		description: failure.description,
		httpCode: failure.status === null ? undefined : String(failure.status),
		itemIndex,
	});
	// NodeApiError swaps the message for n8n's stock text when the code is a Node network code
	// (ECONNREFUSED, ECONNRESET…); ours names the Base URL to check, so it stays. The swap
	// also files our message a second time under `messages`.
	error.message = failure.message;
	error.messages = [...new Set(error.messages)];
	return error;
}
