import type { IDataObject } from 'n8n-workflow';

import type { ChatCompletion } from '../../shared/api-types';
import { isJson, parseJson } from '../../shared/json';

/** The model was asked for JSON and did not give it; worded for the user. */
export class JsonReplyError extends Error {}

const FENCE = /^\s*```(?:json)?\s*\n?([\s\S]*?)\n?\s*```\s*$/i;

/** Models often wrap JSON in a Markdown fence even in JSON mode; anything else is an error. */
export function parseJsonReply(content: string | null): IDataObject {
	const text = (content ?? '').replace(FENCE, '$1').trim();
	const parsed = parseJson(text);
	if (!isJson(parsed)) {
		throw new JsonReplyError(
			`The response format is JSON but the model's reply is not valid JSON: ${JSON.stringify(text.slice(0, 200))}`,
		);
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new JsonReplyError(
			`The response format is JSON object but the model replied with ${Array.isArray(parsed) ? 'an array' : typeof parsed}.`,
		);
	}
	return parsed as IDataObject;
}

export interface ShapeOptions {
	simplify: boolean;
	jsonReply: boolean;
}

/** What a no-code user chains on: the answer, why it stopped, what it cost. */
export function shapeResult(completion: ChatCompletion, { simplify, jsonReply }: ShapeOptions): IDataObject {
	if (!simplify) return completion as IDataObject;
	const [choice] = completion.choices;
	const usage = completion.usage ?? {};
	const finishReason = choice.finish_reason ?? null;
	return {
		content: jsonReply ? parseJsonReply(choice.message.content) : choice.message.content,
		finishReason,
		stopReason: choice.stop_reason ?? null,
		truncated: finishReason === 'length',
		usage: {
			promptTokens: usage.prompt_tokens ?? null,
			completionTokens: usage.completion_tokens ?? null,
			totalTokens: usage.total_tokens ?? null,
		},
		model: completion.model ?? null,
		id: completion.id ?? null,
	};
}

export function isTruncated(completion: ChatCompletion): boolean {
	return completion.choices[0]?.finish_reason === 'length';
}

/** Either the result alone, or the input item's fields with the result under one field. */
export function placeResult(input: IDataObject, result: IDataObject, resultField: string | undefined): IDataObject {
	return resultField ? { ...input, [resultField]: result } : result;
}
