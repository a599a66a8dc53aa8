import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { HumirisRequestError, redactFailure, type HumirisFailure } from '../transport/errors';
import { MessageInputError } from './messages';
import { JsonReplyError } from './output';

/** The one shape a failed item takes, whether it is thrown or output under "continue on fail". */
function toFailure(error: unknown): HumirisFailure {
	if (error instanceof HumirisRequestError) return error.failure;
	const message = error instanceof Error ? error.message : String(error);
	if (error instanceof MessageInputError) {
		return { code: 'INVALID_INPUT', message, description: 'Fix the node\'s parameters or the incoming item.', status: null, retryable: false };
	}
	if (error instanceof JsonReplyError) {
		return {
			code: 'INVALID_JSON_REPLY',
			message,
			description: 'Say in the prompt or system message which JSON fields you want, or switch Response Format to Text.',
			status: null,
			retryable: false,
		};
	}
	return { code: 'UNEXPECTED', message, description: '', status: null, retryable: false };
}

export interface ItemFailure {
	error: NodeApiError | NodeOperationError;
	json: IDataObject;
}

export function describeFailure(node: INode, error: unknown, itemIndex: number, secrets: string[]): ItemFailure {
	const failure = redactFailure(toFailure(error), secrets);
	const json: IDataObject = {
		message: failure.message,
		description: failure.description,
		status: failure.status,
		code: failure.code,
		retryable: failure.retryable,
		...(failure.attempts === undefined ? {} : { attempts: failure.attempts }),
	};
	if (error instanceof HumirisRequestError) {
		// Built from our own summary, never the transport error: that one holds the request
		// headers, and with them the API key.
		const apiError = new NodeApiError(node, { ...json } as JsonObject, {
			message: failure.message,
			description: failure.description,
			httpCode: failure.status === null ? undefined : String(failure.status),
			itemIndex,
		});
		// NodeApiError swaps the message for n8n's stock text when the code is a Node network
		// code (ECONNREFUSED, ECONNRESET…); ours names the Base URL to check, so it stays.
		apiError.message = failure.message;
		return { json, error: apiError };
	}
	const message = error instanceof MessageInputError ? `Item ${itemIndex}: ${failure.message}` : failure.message;
	return {
		json: { ...json, message },
		error: new NodeOperationError(node, message, { description: failure.description, itemIndex }),
	};
}
