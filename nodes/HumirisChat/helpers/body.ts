import type { IDataObject } from 'n8n-workflow';

import type { ChatMessage } from '../../shared/api-types';
import { isJson, parseJson } from '../../shared/json';
import { samplingFields, type SamplingValues } from '../../shared/settings/sampling';
import type { SettingValues } from '../../shared/settings/setting';
import type { BODY_OPTIONS } from '../options/body';
import type { RESPONSE_FORMAT_OPTIONS } from '../options/response-format';
import { MessageInputError } from './messages';

/** The item's options that shape the body, as read (a sampling option the user did not add is undefined). */
export type BodyOptions = Partial<
	SamplingValues & Pick<SettingValues<typeof RESPONSE_FORMAT_OPTIONS>, 'responseFormat'> & SettingValues<typeof BODY_OPTIONS>
>;

/** OpenAI's structured-output request. Not strict: strict mode refuses schemas outside OpenAI's subset, and the node checks every answer itself. */
function jsonSchemaFormat(schema: IDataObject): IDataObject {
	return { type: 'json_schema', json_schema: { name: 'response', schema, strict: false } };
}

function parseAdditionalFields(value: unknown): IDataObject {
	if (value === undefined || value === null || value === '') return {};
	const parsed = typeof value === 'string' ? parseJson(value) : value;
	if (!isJson(parsed)) {
		throw new MessageInputError(
			'"Additional Body Fields" is not valid JSON. Expected an object such as {"logprobs": true}.',
		);
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new MessageInputError(
			`"Additional Body Fields" must be a JSON object such as {"logprobs": true}, got ${Array.isArray(parsed) ? 'an array' : typeof parsed}.`,
		);
	}
	const fields = parsed as IDataObject;
	if (fields.stream !== undefined && fields.stream !== false) {
		throw new MessageInputError(
			'"Additional Body Fields" sets "stream", but this node reads each answer whole and cannot read a stream. Remove "stream" from Additional Body Fields.',
		);
	}
	return fields;
}

/** Additional body fields go in first: what the user set through the node's own fields wins. */
export function buildRequestBody(
	model: string,
	messages: ChatMessage[],
	options: BodyOptions,
	schema?: IDataObject,
): IDataObject {
	const body: IDataObject = { ...parseAdditionalFields(options.additionalBodyFields), ...samplingFields(options) };
	if (options.responseFormat === 'json_object') body.response_format = { type: 'json_object' };
	if (schema) body.response_format = jsonSchemaFormat(schema);
	body.model = model;
	body.messages = messages;
	return body;
}
