import type { IDataObject } from 'n8n-workflow';

import type { ChatCompletion, ChatCompletionChoice } from '../../shared/api-types';
import { isJson, parseJson } from '../../shared/json';

/** The model was asked for JSON and did not give it; worded for the user. */
export class JsonReplyError extends Error {
	/** True when the reply was cut at Maximum Tokens: the fix is a higher limit, not a better prompt. */
	constructor(
		message: string,
		readonly cutOff = false,
	) {
		super(message);
	}
}

const FENCE = /^\s*```(?:json)?\s*\n?([\s\S]*?)\n?\s*```\s*$/i;

/** Models often wrap JSON in a Markdown fence even when asked for JSON alone. */
export function unfence(content: string | null): string {
	return (content ?? '').replace(FENCE, '$1').trim();
}

/** A fence is tolerated; anything else that is not a JSON object is an error. */
export function parseJsonReply(content: string | null, finishReason?: string | null): IDataObject {
	const text = unfence(content);
	const parsed = parseJson(text);
	if (!isJson(parsed) && finishReason === 'length') {
		throw new JsonReplyError(
			`The model's JSON reply was cut off at the Maximum Tokens limit (finish reason "length") before it was complete: ${JSON.stringify(text.slice(-100))}`,
			true,
		);
	}
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

function hasToolCalls(choice: ChatCompletionChoice): boolean {
	return Array.isArray(choice.message.tool_calls) && choice.message.tool_calls.length > 0;
}

/** A reply that only calls tools has no content to parse, in JSON mode or not. */
function contentOf(choice: ChatCompletionChoice, jsonReply: boolean): unknown {
	const { content } = choice.message;
	if (!jsonReply || (hasToolCalls(choice) && (content === null || content === ''))) return content;
	return parseJsonReply(content, choice.finish_reason);
}

function simplifyChoice(choice: ChatCompletionChoice, jsonReply: boolean): IDataObject {
	return {
		content: contentOf(choice, jsonReply) as IDataObject[keyof IDataObject],
		...(hasToolCalls(choice) ? { toolCalls: choice.message.tool_calls as IDataObject[] } : {}),
		finishReason: choice.finish_reason ?? null,
	};
}

/**
 * What a no-code user chains on: the answer, why it stopped, what it cost. With Simplify
 * Output off the response stays as it came, but a JSON reply is still checked, so a reply
 * that is not JSON is never passed on as if it were.
 */
export function shapeResult(completion: ChatCompletion, { simplify, jsonReply }: ShapeOptions): IDataObject {
	if (!simplify) {
		completion.choices.forEach((choice) => contentOf(choice, jsonReply));
		return completion as IDataObject;
	}
	const [first, ...others] = completion.choices;
	const usage = completion.usage ?? {};
	const { content, toolCalls, finishReason } = simplifyChoice(first, jsonReply);
	return {
		content,
		...(toolCalls === undefined ? {} : { toolCalls }),
		finishReason,
		stopReason: first.stop_reason ?? null,
		truncated: finishReason === 'length',
		usage: {
			promptTokens: usage.prompt_tokens ?? null,
			completionTokens: usage.completion_tokens ?? null,
			totalTokens: usage.total_tokens ?? null,
		},
		model: completion.model ?? null,
		id: completion.id ?? null,
		// Asked for with "n" in Additional Body Fields; the first choice stays the answer.
		...(others.length > 0 ? { otherChoices: others.map((choice) => simplifyChoice(choice, jsonReply)) } : {}),
	};
}

export function isTruncated(completion: ChatCompletion): boolean {
	return completion.choices[0]?.finish_reason === 'length';
}

/** Either the result alone, or the input item's fields with the result under one field. */
export function placeResult(input: IDataObject, result: IDataObject, resultField: string | undefined): IDataObject {
	return resultField ? { ...input, [resultField]: result } : result;
}
