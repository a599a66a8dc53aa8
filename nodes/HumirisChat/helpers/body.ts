import type { IDataObject } from 'n8n-workflow';

import { isJson, parseJson } from './json';
import { MessageInputError } from './messages';
import type { ChatMessage } from './types';

/** The node's "Options" collection as n8n hands it over: only the options the user added. */
export interface ChatOptions {
	temperature?: number;
	maxTokens?: number;
	topP?: number;
	frequencyPenalty?: number;
	presencePenalty?: number;
	stop?: string | string[];
	seed?: number;
	responseFormat?: 'text' | 'json_object';
	additionalBodyFields?: unknown;
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
	return parsed as IDataObject;
}

function stopSequences(stop: ChatOptions['stop']): string[] | undefined {
	const list = (Array.isArray(stop) ? stop : stop === undefined ? [] : [stop]).filter(
		(entry) => typeof entry === 'string' && entry !== '',
	);
	return list.length ? list : undefined;
}

/**
 * The API is OpenAI-compatible, so options map one to one onto OpenAI's field names.
 * Additional body fields go in first: what the user set through the node's own fields wins.
 */
export function buildRequestBody(model: string, messages: ChatMessage[], options: ChatOptions): IDataObject {
	const body: IDataObject = { ...parseAdditionalFields(options.additionalBodyFields) };
	const set = (key: string, value: unknown) => {
		if (value !== undefined && value !== null && value !== '') body[key] = value as IDataObject[string];
	};
	set('temperature', options.temperature);
	set('max_tokens', options.maxTokens);
	set('top_p', options.topP);
	set('frequency_penalty', options.frequencyPenalty);
	set('presence_penalty', options.presencePenalty);
	set('stop', stopSequences(options.stop));
	set('seed', options.seed);
	if (options.responseFormat === 'json_object') body.response_format = { type: 'json_object' };
	body.model = model;
	body.messages = messages;
	return body;
}
