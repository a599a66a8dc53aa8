/**
 * The vendor contract for POST /api/v1/chat/completions: header checks, body validation and
 * deterministic completions, so tests can assert on exact content and token counts.
 */

import { parseDirectives } from './faults';
import { chooseToolCalls, formatToolCall, formattedAnswer, recallAnswer } from './model-answer';
import { describeImages, isImagePart, type ImagePart, type SeenImage } from './images';
import { schemaAnswer, wantedSchema } from './schema-answer';

export const DEFAULT_API_KEY = 'sim-dummy-key-7f3a9c2e51b84d06';
export const DEFAULT_MIX_TUNING_IDS = ['mix-demo-1', 'mix-demo-2'];

export interface ApiReply {
	status: number;
	body: unknown;
}

export interface TextPart {
	type: 'text';
	text: string;
}

export interface ChatMessage {
	role: string;
	/** null only on an assistant turn that called tools. */
	content: string | Array<TextPart | ImagePart> | null;
	tool_calls?: ToolCall[];
	tool_call_id?: string;
}

/** OpenAI-style function tools, as an agent binds them. */
export interface FunctionTool {
	type: 'function';
	function: { name: string; description?: string; parameters?: JsonSchemaObject };
}

export interface JsonSchemaObject {
	type?: string;
	properties?: Record<string, { type?: string }>;
	required?: string[];
}

export interface ToolCall {
	id: string;
	type: 'function';
	function: { name: string; arguments: string };
}

export interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	max_tokens?: number | null;
	max_completion_tokens?: number | null;
	stop?: string | string[] | null;
	response_format?: { type: string; json_schema?: { schema?: unknown } };
	tools?: FunctionTool[];
}

/** Faults that keep the 200 status but bend the completion, as a misbehaving upstream would. */
export type ContentShape = 'empty-choices' | 'length' | 'json-fence' | 'bad-json' | 'tool-calls' | 'two-choices';

const ROLES = new Set(['system', 'user', 'assistant', 'tool', 'developer']);
const REPLY_PREFIX = 'MoAI answer to: ';
const SNIPPET_CHARS = 200;

/** Per-message framing cost (role + separators), in the spirit of OpenAI's accounting. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

/** One token per run of letters/digits/underscores, and one per other non-space character. */
const TOKEN = /[\p{L}\p{N}_]+|[^\p{L}\p{N}_\s]/gu;

export function countTokens(text: string): number {
	return text.match(TOKEN)?.length ?? 0;
}

/** Cuts after the first `max` tokens, keeping the original spacing between them. */
export function truncateToTokens(text: string, max: number): string {
	let end = 0;
	let count = 0;
	for (const match of text.matchAll(TOKEN)) {
		if (count === max) break;
		end = match.index + match[0].length;
		count++;
	}
	return text.slice(0, end);
}

export function messageText(message: ChatMessage): string {
	if (message.content === null) return '';
	return typeof message.content === 'string'
		? message.content
		: message.content
				.filter((part): part is TextPart => part.type === 'text')
				.map((part) => part.text)
				.join('\n');
}

export function promptTokens(messages: ChatMessage[]): number {
	return messages.reduce(
		(sum, message) => sum + MESSAGE_OVERHEAD_TOKENS + countTokens(messageText(message)),
		0,
	);
}

export function lastUserText(messages: ChatMessage[]): string {
	const last = [...messages].reverse().find((message) => message.role === 'user');
	return last ? messageText(last) : '';
}

function vendorError(status: number, error: string, message: string): ApiReply {
	return { status, body: { statusCode: status, error, message } };
}

export function invalidRequest(message: string, param: string | null): ApiReply {
	return {
		status: 400,
		body: { error: { message, type: 'invalid_request_error', param, code: null } },
	};
}

export function checkHeaders(
	headers: Record<string, string>,
	apiKey: string,
	mixTuningIds: string[],
	acceptBearer = false,
): ApiReply | undefined {
	const bearer = acceptBearer && headers.authorization === `Bearer ${apiKey}`;
	if (headers.apikey !== apiKey && !bearer) {
		return vendorError(401, 'Unauthorized', 'Invalid or missing apikey.');
	}
	const mixTuningId = headers.mixtuningid;
	if (!mixTuningId) {
		return vendorError(400, 'BadRequest', 'The mixTuningId header is missing.');
	}
	if (!mixTuningIds.includes(mixTuningId)) {
		return vendorError(404, 'MixTuningNotFound', 'The provided mixTuningId does not exist.');
	}
	return undefined;
}

export function notFound(method: string, path: string): ApiReply {
	return vendorError(404, 'Not Found', `Cannot ${method} ${path}`);
}

export function methodNotAllowed(method: string): ApiReply {
	return vendorError(405, 'Method Not Allowed', `${method} is not supported; use POST.`);
}

export function parseJson(raw: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(raw) };
	} catch {
		return { ok: false };
	}
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTextPart(value: unknown): value is TextPart {
	return isRecord(value) && value.type === 'text' && typeof value.text === 'string';
}

function checkMessage(value: unknown, index: number): string | undefined {
	if (!isRecord(value)) return `messages[${index}] must be an object.`;
	if (typeof value.role !== 'string' || !ROLES.has(value.role)) {
		return `messages[${index}].role must be one of ${[...ROLES].join(', ')}.`;
	}
	const { content } = value;
	const toolCalling = value.role === 'assistant' && Array.isArray(value.tool_calls) && value.tool_calls.length > 0;
	const validContent =
		typeof content === 'string' ||
		// Images only in a user turn, as OpenAI takes them.
		(Array.isArray(content) && content.every((part) => isTextPart(part) || (value.role === 'user' && isImagePart(part)))) ||
		(content === null && toolCalling);
	if (!validContent) {
		return `messages[${index}].content must be a string or an array of {type: 'text', text} parts (and, in a user message, {type: 'image_url', image_url: {url}} parts).`;
	}
	if (value.role === 'tool' && (typeof value.tool_call_id !== 'string' || value.tool_call_id === '')) {
		return `messages[${index}].tool_call_id is required on a tool message.`;
	}
	return undefined;
}

function checkTools(tools: unknown): string | undefined {
	if (tools === undefined || tools === null) return undefined;
	if (!Array.isArray(tools)) return 'tools must be an array.';
	for (const [index, tool] of tools.entries()) {
		const fn = isRecord(tool) ? tool.function : undefined;
		if (!isRecord(tool) || tool.type !== 'function' || !isRecord(fn) || typeof fn.name !== 'string' || fn.name === '') {
			return `tools[${index}] must be {type: 'function', function: {name, description, parameters}}.`;
		}
	}
	return undefined;
}

function isPositiveInteger(value: unknown): boolean {
	return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

export function validateChatRequest(
	contentType: string | undefined,
	raw: string,
): { ok: true; request: ChatRequest } | { ok: false; reply: ApiReply } {
	const fail = (message: string, param: string | null) =>
		({ ok: false, reply: invalidRequest(message, param) }) as const;

	if (!contentType?.toLowerCase().includes('application/json')) {
		return fail('The request body must be JSON sent with Content-Type: application/json.', null);
	}
	const parsed = parseJson(raw);
	if (!parsed.ok || !isRecord(parsed.value)) {
		return fail('We could not parse the JSON body of your request.', null);
	}
	const body = parsed.value;
	if (typeof body.model !== 'string' || body.model === '') {
		return fail('you must provide a model parameter', 'model');
	}
	if (!Array.isArray(body.messages) || body.messages.length === 0) {
		return fail('messages must be a non-empty array.', 'messages');
	}
	for (const [index, message] of body.messages.entries()) {
		const problem = checkMessage(message, index);
		if (problem) return fail(problem, 'messages');
	}
	for (const param of ['max_tokens', 'max_completion_tokens']) {
		if (body[param] !== undefined && body[param] !== null && !isPositiveInteger(body[param])) {
			return fail(`${param} must be a positive integer.`, param);
		}
	}
	const { stop } = body;
	const validStop =
		stop === undefined ||
		stop === null ||
		typeof stop === 'string' ||
		(Array.isArray(stop) && stop.every((s) => typeof s === 'string'));
	if (!validStop) return fail('stop must be a string or an array of strings.', 'stop');
	if (body.response_format !== undefined && !isRecord(body.response_format)) {
		return fail('response_format must be an object.', 'response_format');
	}
	const toolProblem = checkTools(body.tools);
	if (toolProblem) return fail(toolProblem, 'tools');
	if (body.stream === true) {
		return fail('Streaming is not supported by this endpoint.', 'stream');
	}
	return { ok: true, request: body as unknown as ChatRequest };
}

type Category = 'billing' | 'technical' | 'account' | 'general';

const CATEGORY_RULES: Array<[Category, RegExp]> = [
	['billing', /\b(refund|invoice|charg|payment)/i],
	['technical', /\b(error|crash|bug|broken)|\blog ?in\b.*\bfail/i],
	['account', /\b(password|account)|\bemail\b.*\bchange|\bchange\b.*\bemail\b/i],
];

export function classify(text: string): Category {
	return CATEGORY_RULES.find(([, pattern]) => pattern.test(text))?.[0] ?? 'general';
}

function plainAnswer(userText: string): string {
	const snippet = userText.replace(/\s+/g, ' ').trim();
	return (
		REPLY_PREFIX +
		(snippet.length > SNIPPET_CHARS ? `${snippet.slice(0, SNIPPET_CHARS)}...` : snippet)
	);
}

function jsonAnswer(userText: string, shape: ContentShape | undefined): string {
	const json = JSON.stringify({
		category: classify(userText),
		answer: plainAnswer(userText),
		confidence: 0.9,
	});
	if (shape === 'json-fence') return `\`\`\`json\n${json}\n\`\`\``;
	// A dangling comma in place of the closing brace: what a model cut off mid-object produces.
	if (shape === 'bad-json') return `${json.slice(0, -1)},`;
	return json;
}

/**
 * A schema answer answers the conversation's first user message: the user turns after it are
 * the node's corrections. A `schema-miss` directive there says how the answers miss.
 */
function schemaContent(request: ChatRequest, schema: unknown): string {
	const index = request.messages.findIndex((message) => message.role === 'user');
	const parsed = parseDirectives(index === -1 ? '' : messageText(request.messages[index]));
	const directives = parsed.ok ? parsed.directives : [];
	const question = parsed.ok ? parsed.text : '';
	const fault = directives.map((directive) => directive.fault).find((candidate) => candidate.kind === 'schema-miss');
	return schemaAnswer({
		schema,
		category: classify(question),
		answer: plainAnswer(question),
		miss: fault?.kind === 'schema-miss' ? { rule: fault.rule, misses: fault.misses } : undefined,
		corrections: request.messages.slice(index + 1).filter((message) => message.role === 'assistant').length,
	});
}

function tokenLimit(request: ChatRequest): number | undefined {
	const limits = [request.max_tokens, request.max_completion_tokens].filter(
		(limit): limit is number => typeof limit === 'number',
	);
	return limits.length > 0 ? Math.min(...limits) : undefined;
}

function cutAtStop(content: string, stop: ChatRequest['stop']): { content: string; matched: string | null } {
	const stops = (typeof stop === 'string' ? [stop] : (stop ?? [])).filter((s) => s !== '');
	let best: { index: number; stop: string } | undefined;
	for (const candidate of stops) {
		const index = content.indexOf(candidate);
		if (index !== -1 && (best === undefined || index < best.index)) best = { index, stop: candidate };
	}
	return best ? { content: content.slice(0, best.index), matched: best.stop } : { content, matched: null };
}

export interface CompletionInput {
	id: string;
	created: number;
	/** The last user message with simulator directives already stripped. */
	userText: string;
	shape?: ContentShape;
	/** Answer as a model reading its prompt would (see model-answer.ts); off keeps the older answers. */
	readPrompts?: boolean;
	/** The images the request carried, decoded: a text answer names each one's size and hash. */
	images?: SeenImage[];
}

const TOOL_RESULT_PREFIX = 'MoAI answer from the tool result: ';

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A tool's name as the user may write it: "Ask_Humiris" also matches "Ask Humiris". */
function toolNamePattern(name: string): RegExp {
	return new RegExp(`\\b${escapeRegExp(name).replace(/_/g, '[_ ]')}\\b\\s*:?\\s*`, 'i');
}

/**
 * The simulated model's tool choice: the first bound tool the last user message names. The
 * text after the name becomes every string argument of the tool's schema, so a test can say
 * "calculator: 12 * 7" and find exactly "12 * 7" in the call.
 */
export function chooseToolCall(request: ChatRequest, userText: string, id: string): ToolCall | undefined {
	for (const tool of request.tools ?? []) {
		const match = toolNamePattern(tool.function.name).exec(userText);
		if (!match) continue;
		const argument = userText.slice(match.index + match[0].length).trim() || userText.trim();
		const properties = tool.function.parameters?.properties ?? {};
		const names = Object.keys(properties).filter((key) => (properties[key].type ?? 'string') === 'string');
		const args = Object.fromEntries((names.length ? names : ['input']).map((key) => [key, argument]));
		return { id: `call_${id}`, type: 'function', function: { name: tool.function.name, arguments: JSON.stringify(args) } };
	}
	return undefined;
}

/**
 * The last tool result, or (`all`) every result since the user's last message, as a model
 * answering from all the calls it made, however the caller laid the turns out, would.
 */
function toolResults(request: ChatRequest, all: boolean): string {
	const messages = request.messages;
	const lastUser = messages.map((message) => message.role).lastIndexOf('user');
	const results = all ? messages.slice(lastUser + 1).filter((message) => message.role === 'tool') : messages.slice(-1);
	return results.map((message) => messageText(message).replace(/\s+/g, ' ').trim()).join(' | ');
}

function toolCallsReply(base: object, calls: ToolCall[], prompt: number): unknown {
	const completion = calls.reduce((sum, call) => sum + countTokens(call.function.name + call.function.arguments), 0);
	return {
		...base,
		choices: [
			{
				index: 0,
				message: { role: 'assistant', content: null, tool_calls: calls },
				finish_reason: 'tool_calls',
				stop_reason: null,
			},
		],
		usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
	};
}

function toolTurn(request: ChatRequest, base: object, id: string, userText: string, readPrompts: boolean): unknown {
	const last = request.messages[request.messages.length - 1];
	const prompt = promptTokens(request.messages);
	const usage = (completion: number) => ({ prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion });
	if (last?.role === 'tool') {
		const results = toolResults(request, readPrompts);
		const format = readPrompts ? formatToolCall(request, results, id) : undefined;
		if (format) return toolCallsReply(base, [format], prompt);
		const content = TOOL_RESULT_PREFIX + results.slice(0, readPrompts ? SNIPPET_CHARS * 2 : SNIPPET_CHARS);
		const completion = countTokens(content);
		return {
			...base,
			choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', stop_reason: null }],
			usage: usage(completion),
		};
	}
	if (readPrompts) {
		const calls = chooseToolCalls(request, userText, id);
		const format = calls.length ? undefined : formatToolCall(request, userText, id);
		const chosen = format ? [format] : calls;
		return chosen.length ? toolCallsReply(base, chosen, prompt) : undefined;
	}
	const call = chooseToolCall(request, userText, id);
	return call ? toolCallsReply(base, [call], prompt) : undefined;
}

export function buildCompletion(request: ChatRequest, input: CompletionInput): unknown {
	const { id, created, userText, shape, images, readPrompts = false } = input;
	const prompt = promptTokens(request.messages);
	const base = { id, object: 'chat.completion', created, model: request.model };

	if (shape === 'empty-choices') {
		return { ...base, choices: [], usage: { prompt_tokens: prompt, completion_tokens: 0, total_tokens: prompt } };
	}

	// Tool calling is what an agent loop needs; without bound tools nothing below changes.
	const toolReply = request.tools?.length && !shape ? toolTurn(request, base, id.replace(/\D/g, ''), userText, readPrompts) : undefined;
	if (toolReply) return toolReply;
	// A model reading its prompt: format instructions, a repair prompt, a question about memory.
	const read = readPrompts
		? (formattedAnswer(request, userText, shape === 'bad-json') ?? recallAnswer(request, userText))
		: undefined;

	const wantsJson =
		request.response_format?.type === 'json_object' || shape === 'json-fence' || shape === 'bad-json';
	const schema = wantedSchema(request);
	const full =
		read ??
		(schema !== undefined
			? schemaContent(request, schema)
			: wantsJson
				? jsonAnswer(userText, shape)
				: plainAnswer(userText) + describeImages(images));

	// A stop sequence only wins if generation would reach it before the token limit.
	const stopped = cutAtStop(full, request.stop);
	let content = stopped.content;
	let finishReason = 'stop';
	let stopReason = stopped.matched;

	const requested = tokenLimit(request);
	const limit =
		shape === 'length'
			? Math.min(requested ?? Infinity, Math.max(1, Math.ceil(countTokens(content) / 2)))
			: requested;
	if (limit !== undefined && (shape === 'length' || countTokens(content) > limit)) {
		content = truncateToTokens(content, limit);
		finishReason = 'length';
		stopReason = null;
	}

	const completion = countTokens(content);
	if (shape === 'tool-calls') {
		const toolCall = { id: `call_${id}`, type: 'function', function: { name: 'lookup_ticket', arguments: JSON.stringify({ query: userText }) } };
		return {
			...base,
			choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [toolCall] }, finish_reason: 'tool_calls', stop_reason: null }],
			usage: { prompt_tokens: prompt, completion_tokens: 9, total_tokens: prompt + 9 },
		};
	}
	const first = { index: 0, message: { role: 'assistant', content }, finish_reason: finishReason, stop_reason: stopReason };
	return {
		...base,
		choices:
			shape === 'two-choices'
				? [first, { index: 1, message: { role: 'assistant', content: `Another ${content}` }, finish_reason: 'stop', stop_reason: null }]
				: [first],
		usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
	};
}
