import type { IDataObject, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { HumirisRequestError, redactFailure, type HumirisFailure } from '../../shared/transport/errors';
import { failureJson, toNodeApiError } from '../../shared/transport/node-error';
import { MessageInputError } from './messages';
import { JsonReplyError } from './output';
import { MissingMixTuningIdError } from './parameters';

/** The one shape a failed item takes, whether it is thrown or output under "continue on fail". */
function toFailure(error: unknown): HumirisFailure {
	if (error instanceof HumirisRequestError) return error.failure;
	const message = error instanceof Error ? error.message : String(error);
	if (error instanceof MessageInputError) {
		return { code: 'INVALID_INPUT', message, description: 'Fix the node\'s parameters or the incoming item.', status: null, retryable: false };
	}
	if (error instanceof MissingMixTuningIdError) {
		return { code: 'MIX_TUNING_ID_MISSING', message, description: 'No request was sent.', status: null, retryable: false };
	}
	if (error instanceof JsonReplyError && error.cutOff) {
		return {
			code: 'JSON_REPLY_TRUNCATED',
			message,
			description: 'Raise the Maximum Tokens option so the whole JSON object fits, or ask for a shorter reply.',
			status: null,
			retryable: false,
		};
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
	const json: IDataObject = failureJson(failure);
	if (error instanceof HumirisRequestError) return { json, error: toNodeApiError(node, failure, itemIndex) };
	const message = error instanceof MessageInputError ? `Item ${itemIndex}: ${failure.message}` : failure.message;
	return {
		json: { ...json, message },
		error: new NodeOperationError(node, message, { description: failure.description, itemIndex }),
	};
}
