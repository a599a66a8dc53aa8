import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';

import type { ChatMessage } from '../../shared/api-types';
import {
	DEFAULT_MAX_RETRIES,
	DEFAULT_MAX_RETRY_WAIT_MS,
	DEFAULT_MODEL,
	DEFAULT_TIMEOUT_MS,
} from '../../shared/options';
import { trimBaseUrl, type CompletionRequest } from '../../shared/transport/request';
import type { RetryPolicy } from '../../shared/transport/retry';
import { DEFAULT_CONCURRENCY } from '../description';
import { buildRequestBody, type ChatOptions } from './body';
import { fromJson, fromPrompt, fromRows, promptFromItem, type MessageRow } from './messages';
import type { ShapeOptions } from './output';
import type { ParameterSource } from './run-parameters';

interface NodeOptions extends ChatOptions {
	mixTuningId?: string;
	timeout?: number;
	keepInputFields?: boolean;
	resultField?: string;
	concurrency?: number;
	maxRetries?: number;
	maxRetryWait?: number;
}

export interface RunSettings {
	concurrency: number;
	policy: RetryPolicy;
}

/** Everything one item needs: the request to send and how to shape its answer. */
export interface ItemPlan {
	request: CompletionRequest;
	shape: ShapeOptions;
	resultField?: string;
}

function readMessages(context: ParameterSource, itemIndex: number): ChatMessage[] {
	const mode = context.getNodeParameter('messageMode', itemIndex) as string;
	if (mode === 'messages') {
		const rows = context.getNodeParameter('messages.message', itemIndex, []) as MessageRow[];
		return fromRows(rows);
	}
	if (mode === 'json') {
		return fromJson(context.getNodeParameter('messagesJson', itemIndex));
	}
	const prompt =
		context.getNodeParameter('promptType', itemIndex, 'auto') === 'define'
			? context.getNodeParameter('prompt', itemIndex, '')
			: promptFromItem(context.getInputData()[itemIndex].json);
	return fromPrompt(prompt, context.getNodeParameter('systemMessage', itemIndex, ''));
}

/** Reads the node's parameters for one item; expressions make every one of them per-item. */
export function readItemPlan(
	context: ParameterSource,
	itemIndex: number,
	credentials: ICredentialDataDecryptedObject,
): ItemPlan {
	const options = context.getNodeParameter('options', itemIndex, {}) as NodeOptions;
	const model = (context.getNodeParameter('model', itemIndex, DEFAULT_MODEL) as string).trim() || DEFAULT_MODEL;
	const messages = readMessages(context, itemIndex);
	const mixTuningId = options.mixTuningId?.trim();
	return {
		request: {
			baseUrl: trimBaseUrl(credentials.baseUrl),
			body: buildRequestBody(model, messages, options),
			timeoutMs: options.timeout ?? DEFAULT_TIMEOUT_MS,
			credentials: mixTuningId ? { ...credentials, mixTuningId } : credentials,
		},
		shape: {
			simplify: context.getNodeParameter('simplify', itemIndex, true) as boolean,
			jsonReply: options.responseFormat === 'json_object',
		},
		resultField: options.keepInputFields ? options.resultField?.trim() || 'response' : undefined,
	};
}

/** How the whole run behaves: read once, from the first item, like n8n's own batching options. */
export function readRunSettings(context: IExecuteFunctions): RunSettings {
	const options = context.getNodeParameter('options', 0, {}) as NodeOptions;
	return {
		concurrency: Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY)),
		policy: {
			maxRetries: Math.max(0, Math.floor(options.maxRetries ?? DEFAULT_MAX_RETRIES)),
			maxWaitMs: Math.max(0, options.maxRetryWait ?? DEFAULT_MAX_RETRY_WAIT_MS),
		},
	};
}
