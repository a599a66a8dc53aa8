import type { FinishReason, GenerateResult, Message, MessageContent, TokenUsage } from '@n8n/ai-node-sdk';
import type { IDataObject } from 'n8n-workflow';

import type { ChatCompletion } from '../../shared/api-types';

/** OpenAI's chat-completions message, the shape Humiris documents. */
export interface ApiMessage extends IDataObject {
	role: 'system' | 'user' | 'assistant' | 'tool';
}

interface ApiToolCall {
	id?: string;
	type?: string;
	function?: { name?: string; arguments?: string | IDataObject };
}

function textOf(content: MessageContent[]): string {
	return content
		.map((part) => (part.type === 'text' || part.type === 'reasoning' ? part.text : ''))
		.filter((text) => text !== '')
		.join('\n');
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Shipped code cannot count on Node's Buffer being typed here, and the encoding is short. */
function toBase64(bytes: Uint8Array): string {
	let out = '';
	for (let i = 0; i < bytes.length; i += 3) {
		const [a, b = 0, c = 0] = [bytes[i], bytes[i + 1], bytes[i + 2]];
		const triple = (a << 16) | (b << 8) | c;
		out += BASE64[(triple >> 18) & 63] + BASE64[(triple >> 12) & 63];
		out += i + 1 < bytes.length ? BASE64[(triple >> 6) & 63] : '=';
		out += i + 2 < bytes.length ? BASE64[triple & 63] : '=';
	}
	return out;
}

function fileData(data: string | Uint8Array): string {
	return typeof data === 'string' ? data : toBase64(data);
}

/** A user turn with images is sent as content parts, a plain one as a string. */
function userContent(content: MessageContent[]): string | IDataObject[] {
	const images = content.filter(
		(part): part is Extract<MessageContent, { type: 'file' }> =>
			part.type === 'file' && (part.mediaType ?? '').startsWith('image/'),
	);
	if (images.length === 0) return textOf(content);
	const parts: IDataObject[] = [];
	const text = textOf(content);
	if (text) parts.push({ type: 'text', text });
	for (const image of images) {
		const data = fileData(image.data);
		const url = /^(https?:|data:)/.test(data) ? data : `data:${image.mediaType};base64,${data}`;
		parts.push({ type: 'image_url', image_url: { url } });
	}
	return parts;
}

function resultText(result: unknown): string {
	return typeof result === 'string' ? result : JSON.stringify(result ?? '');
}

/** The SDK's messages as the OpenAI-style `messages` array Humiris takes. */
export function toApiMessages(messages: Message[]): ApiMessage[] {
	const out: ApiMessage[] = [];
	for (const message of messages) {
		if (message.role === 'tool') {
			// One API message per tool result, each answering its own tool call.
			for (const part of message.content) {
				if (part.type !== 'tool-result') continue;
				out.push({ role: 'tool', tool_call_id: part.toolCallId, content: resultText(part.result) });
			}
			continue;
		}
		if (message.role === 'assistant') {
			const toolCalls = message.content
				.filter((part): part is Extract<MessageContent, { type: 'tool-call' }> => part.type === 'tool-call')
				.map((part) => ({
					id: part.toolCallId ?? '',
					type: 'function',
					function: { name: part.toolName, arguments: part.input },
				}));
			const text = textOf(message.content);
			out.push(
				toolCalls.length
					? { role: 'assistant', content: text || null, tool_calls: toolCalls }
					: { role: 'assistant', content: text },
			);
			continue;
		}
		if (message.role === 'system') {
			out.push({ role: 'system', content: textOf(message.content) });
			continue;
		}
		out.push({ role: 'user', content: userContent(message.content) });
	}
	return out;
}

const FINISH_REASONS: Record<string, FinishReason> = {
	stop: 'stop',
	length: 'length',
	tool_calls: 'tool-calls',
	function_call: 'tool-calls',
	content_filter: 'content-filter',
};

export function finishReasonOf(reason: string | null | undefined, calledTools: boolean): FinishReason {
	if (calledTools) return 'tool-calls';
	return reason ? (FINISH_REASONS[reason] ?? 'other') : 'stop';
}

export function usageOf(completion: ChatCompletion): TokenUsage | undefined {
	const usage = completion.usage;
	if (!usage) return undefined;
	const promptTokens = usage.prompt_tokens ?? 0;
	const completionTokens = usage.completion_tokens ?? 0;
	return { promptTokens, completionTokens, totalTokens: usage.total_tokens ?? promptTokens + completionTokens };
}

function toolCallContent(call: ApiToolCall, index: number): MessageContent {
	const name = call.function?.name ?? '';
	const raw = call.function?.arguments ?? '{}';
	const input = typeof raw === 'string' ? raw || '{}' : JSON.stringify(raw);
	const toolCallId = call.id || `call_${index}`;
	try {
		JSON.parse(input);
	} catch {
		// The Agent shows an invalid call to its model instead of crashing on it.
		return { type: 'invalid-tool-call', toolCallId, name, args: input, error: 'The tool call arguments are not valid JSON.' };
	}
	return { type: 'tool-call', toolCallId, toolName: name, input };
}

/**
 * The first choice as the SDK's result. A model that ignores `tools` simply answers in
 * text: no tool calls, and the Agent takes the text as the final answer.
 */
export function toGenerateResult(completion: ChatCompletion): GenerateResult {
	const choice = completion.choices[0];
	const apiCalls = (Array.isArray(choice.message.tool_calls) ? choice.message.tool_calls : []) as ApiToolCall[];
	const toolCalls = apiCalls.map(toolCallContent);
	const text = typeof choice.message.content === 'string' ? choice.message.content : '';
	const content: MessageContent[] = [...toolCalls];
	if (text || toolCalls.length === 0) content.push({ type: 'text', text });
	const calledTools = toolCalls.some((part) => part.type === 'tool-call');
	return {
		id: completion.id,
		finishReason: finishReasonOf(choice.finish_reason, calledTools),
		usage: usageOf(completion),
		message: { role: 'assistant', content, ...(completion.id ? { id: completion.id } : {}) },
		// The adapter drops `finishReason` on its way to LangChain and keeps this metadata: n8n's
		// log then shows Humiris's own reason, in the words OpenAI-style models report it.
		providerMetadata: {
			model: completion.model,
			finish_reason: choice.finish_reason ?? (calledTools ? 'tool_calls' : 'stop'),
			stop_reason: choice.stop_reason ?? null,
		},
		rawResponse: completion,
	};
}
