import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ChatMessage } from '../../shared/api-types';
import {
	DEFAULT_MAX_RATE_LIMIT_WAIT_MS,
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
import { withSchemaInstruction } from './schema-instruction';
import { readSchemaPlan, type SchemaOptions, type SchemaPlan } from './schema-option';
import type { SchemaFallback } from './structured';

interface NodeOptions extends ChatOptions, SchemaOptions {
	mixTuningId?: string;
	timeout?: number;
	keepInputFields?: boolean;
	resultField?: string;
	concurrency?: number;
	maxRetries?: number;
	maxRetryWait?: number;
	maxRateLimitWait?: number;
	retryUnconfirmed?: boolean;
}

/** No MixTuning ID to send; worded for the user, naming the field that came out empty. */
export class MissingMixTuningIdError extends Error {}

export interface RunSettings {
	concurrency: number;
	policy: RetryPolicy;
	/** Per run: whether Humiris refused `response_format: json_schema`, so the run asks through the instruction alone. */
	schemaFallback: SchemaFallback;
}

/** Everything one item needs: the request to send and how to shape its answer. */
export interface ItemPlan {
	request: CompletionRequest;
	shape: ShapeOptions;
	resultField?: string;
	/** Set when Response Format is JSON Schema: the answer is checked, and re-asked for when it does not fit. */
	schema?: SchemaPlan;
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

function resultFieldOf(options: NodeOptions): string | undefined {
	return options.keepInputFields ? options.resultField?.trim() || 'response' : undefined;
}

/** For an item whose parameters could not be read: whether its error item keeps the input. */
export function keepsInput(context: ParameterSource, itemIndex: number): boolean {
	try {
		return resultFieldOf(context.getNodeParameter('options', itemIndex, {}) as NodeOptions) !== undefined;
	} catch {
		return false;
	}
}

/**
 * n8n saves a credential with its required MixTuning ID empty, and an override expression can
 * come out empty: either way every request would be refused, so none is sent.
 */
function mixTuningIdFor(options: NodeOptions, credentials: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	if (options.mixTuningId !== undefined) {
		const override = String(options.mixTuningId ?? '').trim();
		if (override === '') {
			throw new MissingMixTuningIdError(
				"The node's MixTuning ID Override is empty for this item. Fill it in, or remove the option to use the credential's MixTuning ID.",
			);
		}
		return { ...credentials, mixTuningId: override };
	}
	if (String(credentials.mixTuningId ?? '').trim() === '') {
		throw new MissingMixTuningIdError(
			'The MixTuning ID in the Humiris API credential is empty. Open the credential and fill in the MixTuning ID field from the MixTuning page of your Humiris dashboard.',
		);
	}
	return credentials;
}

/**
 * Reads the node's parameters for one item; expressions make them per-item, except the
 * run settings (readRunSettings) and the two modes, which take no expressions.
 */
export function readItemPlan(
	context: ParameterSource,
	itemIndex: number,
	credentials: ICredentialDataDecryptedObject,
): ItemPlan {
	const options = context.getNodeParameter('options', itemIndex, {}) as NodeOptions;
	const itemCredentials = mixTuningIdFor(options, credentials);
	const model = (context.getNodeParameter('model', itemIndex, DEFAULT_MODEL) as string).trim() || DEFAULT_MODEL;
	const schema = readSchemaPlan(options);
	const messages = readMessages(context, itemIndex);
	return {
		request: {
			baseUrl: trimBaseUrl(credentials.baseUrl),
			body: schema
				? buildRequestBody(model, withSchemaInstruction(messages, schema.schema), options, schema.schema as IDataObject)
				: buildRequestBody(model, messages, options),
			timeoutMs: options.timeout ?? DEFAULT_TIMEOUT_MS,
			credentials: itemCredentials,
		},
		shape: {
			simplify: context.getNodeParameter('simplify', itemIndex, true) as boolean,
			jsonReply: options.responseFormat === 'json_object',
		},
		resultField: resultFieldOf(options),
		...(schema ? { schema } : {}),
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
			maxRateLimitWaitMs: Math.max(0, options.maxRateLimitWait ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS),
			retryUnconfirmed: options.retryUnconfirmed === true,
		},
		schemaFallback: { refused: false },
	};
}
