import type { IDataObject } from 'n8n-workflow';

import type { ChatMessage } from '../../shared/api-types';
import { mixTuningIdFor, type Connection } from '../../shared/settings/connection';
import { MODEL_SETTING } from '../../shared/settings/request';
import { readSettings } from '../../shared/settings/setting';
import type { CompletionRequest } from '../../shared/transport/request';
import { ITEM_OPTIONS } from '../options';
import { OUTPUT_OPTIONS, SIMPLIFY_SETTING } from '../options/output';
import { buildRequestBody } from './body';
import type { ImagePlan } from './images';
import { fromJson, fromPrompt, fromRows, promptFromItem, type MessageRow } from './messages';
import type { ShapeOptions } from './output';
import type { ParameterSource } from './parameter-cache';
import { withSchemaInstruction } from './schema-instruction';
import { readSchemaPlan, type SchemaPlan } from './schema-option';

/** Everything one item needs: the request to send and how to shape its answer. */
export interface ItemPlan {
	request: CompletionRequest;
	shape: ShapeOptions;
	resultField?: string;
	/** Set when Response Format is JSON Schema: the answer is checked, and re-asked for when it does not fit. */
	schema?: SchemaPlan;
	/** Images From Binary: read and added only when the request is about to go (attachImages). */
	images?: ImagePlan;
	/** Set once the images joined the request: how many, for the run summary. */
	imagesAttached?: number;
}

function readMessages(source: ParameterSource, itemIndex: number): ChatMessage[] {
	const mode = source.getNodeParameter('messageMode', itemIndex) as string;
	if (mode === 'messages') {
		const rows = source.getNodeParameter('messages.message', itemIndex, []) as MessageRow[];
		return fromRows(rows);
	}
	if (mode === 'json') {
		return fromJson(source.getNodeParameter('messagesJson', itemIndex));
	}
	const prompt =
		source.getNodeParameter('promptType', itemIndex, 'auto') === 'define'
			? source.getNodeParameter('prompt', itemIndex, '')
			: promptFromItem(source.getInputData()[itemIndex].json);
	return fromPrompt(prompt, source.getNodeParameter('systemMessage', itemIndex, ''));
}

function optionsOf(source: ParameterSource, itemIndex: number): IDataObject {
	return source.getNodeParameter('options', itemIndex, {}) as IDataObject;
}

/** For an item whose parameters could not be read: whether its error item keeps the input. */
export function keepsInput(source: ParameterSource, itemIndex: number): boolean {
	try {
		return OUTPUT_OPTIONS.keepInputFields.read(optionsOf(source, itemIndex).keepInputFields);
	} catch {
		return false;
	}
}

/**
 * Reads the node's parameters for one item, every value checked before anything is sent;
 * expressions make them per-item, except the run options (readRunSettings) and the two
 * modes, which take no expressions.
 */
export function readItemPlan(source: ParameterSource, itemIndex: number, connection: Connection): ItemPlan {
	const options = readSettings(optionsOf(source, itemIndex), ITEM_OPTIONS);
	const credentials = mixTuningIdFor(connection, options.mixTuningId);
	const model = MODEL_SETTING.read(source.getNodeParameter('model', itemIndex, MODEL_SETTING.property.default));
	const simplify = SIMPLIFY_SETTING.read(source.getNodeParameter('simplify', itemIndex, SIMPLIFY_SETTING.property.default));
	const schema = readSchemaPlan(options);
	const messages = readMessages(source, itemIndex);
	return {
		request: {
			baseUrl: connection.baseUrl,
			body: schema
				? buildRequestBody(model, withSchemaInstruction(messages, schema.schema), options, schema.schema as IDataObject)
				: buildRequestBody(model, messages, options),
			timeoutMs: options.timeout,
			credentials,
		},
		shape: { simplify, jsonReply: options.responseFormat === 'json_object' },
		resultField: options.keepInputFields ? options.resultField : undefined,
		...(schema ? { schema } : {}),
		...(options.imageBinaryFields ? { images: { fields: options.imageBinaryFields, detail: options.imageDetail } } : {}),
	};
}
