/**
 * The simulated model reading its prompt the way an LLM under n8n's AI nodes would, switched on
 * with the simulator's `readPrompts` option: format instructions answered with JSON that fits
 * their schema (judged from the user's text), a repair prompt answered with the mended answer,
 * several tools named in one message called in one turn, and a question about the previous
 * message answered from the conversation. Off, the simulator answers as it always did.
 */
import { classify, type ChatMessage, type ChatRequest, type ToolCall } from './contract';
import { firstJsonMatch } from './schema-answer';

type SchemaNode = Record<string, unknown>;

function isNode(value: unknown): value is SchemaNode {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function textOf(message: ChatMessage): string {
	if (message.content === null) return '';
	return typeof message.content === 'string' ? message.content : message.content.map((part) => ('text' in part ? part.text : '')).join('\n');
}

/** LangChain's StructuredOutputParser ends its format instructions with the schema in a json fence. */
const FORMAT_INSTRUCTIONS = /You must format your output as a JSON value[\s\S]*?must adhere to[^\n]*\n```json\s*\n([\s\S]*?)\n```/;
/** The repair prompt of LangChain's and n8n's fixing parsers: the answer that failed, between dashes. */
const REPAIR = /Completion:\n-+\n([\s\S]*?)\n-+\n\nAbove, the Completion did not satisfy/;

export function formatSchema(messages: ChatMessage[]): unknown {
	return firstJsonMatch(FORMAT_INSTRUCTIONS, messages.map(textOf));
}

/** What the user wrote, without the format instructions (their example schemas would mislead the judge). */
function userText(messages: ChatMessage[]): string {
	return messages
		.filter((message) => message.role === 'user')
		.map((message) => textOf(message).replace(FORMAT_INSTRUCTIONS, '').replace(/\[\[sim:[^\]]*\]\]/g, ''))
		.join('\n');
}

const POSITIVE = /\b(love|great|excellent|happy|wonderful|thanks?|perfect|amazing)\b/i;
const NEGATIVE = /\b(hate|terrible|awful|angry|broken|worst|disappointed|useless)\b/i;
const VIOLATING = /ignore (all )?(previous|prior|your) instructions|jailbreak|reveal (your|the) system prompt/i;

function wordPattern(word: string): RegExp {
	return new RegExp(`\\b${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i');
}

/** The option a reader of `text` would pick: one it names, then its mood, then its topic. */
function choose(options: string[], text: string): string {
	const named = options.find((option) => wordPattern(option).test(text));
	if (named) return named;
	const mood = POSITIVE.test(text) ? /positiv/i : NEGATIVE.test(text) ? /negativ/i : /neutral/i;
	const byMood = options.find((option) => mood.test(option));
	if (byMood) return byMood;
	const topic = classify(text);
	return options.find((option) => option.toLowerCase() === topic) ?? options[0];
}

/** `key: value` (or `key is value`) in the text, the key also read with its camelCase words apart. */
function extract(key: string, text: string): string | undefined {
	const spaced = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]/g, ' ');
	for (const name of new Set([key, spaced])) {
		const match = new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b\\s*(?::|=|\\bis\\b)\\s*([^,;.\\n]+(?:\\.\\d+)?)`, 'i').exec(text);
		if (match) return match[1].trim();
	}
	return undefined;
}

function typeOf(schema: SchemaNode): string | undefined {
	const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string | undefined];
	return types.find((type) => type !== 'null') ?? (isNode(schema.properties) ? 'object' : undefined);
}

function fitNumber(schema: SchemaNode, key: string, text: string): number {
	const found = Number(extract(key, text));
	const low = typeof schema.minimum === 'number' ? schema.minimum : undefined;
	const high = typeof schema.maximum === 'number' ? schema.maximum : undefined;
	let value = Number.isFinite(found) && extract(key, text) !== undefined ? found : /confidence|score|strength/i.test(key) ? 0.9 : (low ?? 0);
	if (/confidenceScore/i.test(key)) value = VIOLATING.test(text) ? 0.9 : 0.1;
	if (low !== undefined && value < low) value = low;
	if (high !== undefined && value > high) value = high;
	return typeOf(schema) === 'integer' ? Math.round(value) : value;
}

/** A value for `schema` that fits it, read from `text` where the text says something about it. */
export function fit(schema: unknown, text: string, key = ''): unknown {
	if (!isNode(schema)) return extract(key, text) ?? text.trim().slice(0, 80);
	for (const combination of ['allOf', 'anyOf', 'oneOf']) {
		const [first] = (schema[combination] as unknown[] | undefined) ?? [];
		if (first !== undefined) return fit(first, text, key);
	}
	if ('const' in schema) return schema.const;
	if (Array.isArray(schema.enum)) return choose(schema.enum.map(String), text);
	switch (typeOf(schema)) {
		case 'object': {
			const properties = Object.entries(isNode(schema.properties) ? schema.properties : {});
			// An object of flags is a choice among them (the Text Classifier's categories).
			const flags = properties.filter(([, child]) => isNode(child) && child.type === 'boolean');
			const chosen = flags.length > 1 && flags.length === properties.length ? choose(flags.map(([name]) => name), text) : undefined;
			return Object.fromEntries(
				properties.map(([name, child]) => [name, chosen !== undefined ? name === chosen : fit(child, text, name)]),
			);
		}
		case 'array':
			return [fit(schema.items, text, key)];
		case 'number':
		case 'integer':
			return fitNumber(schema, key, text);
		case 'boolean':
			return key === 'flagged' ? VIOLATING.test(text) : true;
		default:
			return extract(key, text) ?? text.replace(/\s+/g, ' ').trim().slice(0, 120);
	}
}

/** A JSON answer cut off before its closing brace, mended as a model asked to try again would. */
function mend(completion: string): unknown {
	const bare = completion.replace(/^```(?:json)?\s*|\s*```$/g, '').trim();
	for (const candidate of [bare, `${bare.replace(/,\s*$/, '')}}`]) {
		try {
			return JSON.parse(candidate) as unknown;
		} catch {
			continue;
		}
	}
	return undefined;
}

/**
 * The answer to format instructions, or undefined when the prompt has none. `cut` leaves the
 * closing brace off (a first answer that does not parse), so the repair path has work to do.
 */
export function formattedAnswer(request: ChatRequest, text: string, cut: boolean): string | undefined {
	const schema = formatSchema(request.messages);
	if (schema === undefined) return undefined;
	const all = request.messages.map(textOf).join('\n');
	const repair = REPAIR.exec(all);
	const mended = repair ? mend(repair[1]) : undefined;
	const json = JSON.stringify(mended ?? fit(schema, repair ? repair[1] : userText(request.messages) || text));
	return cut ? `${json.slice(0, -1)},` : json;
}

/**
 * Every bound tool the message names, in the order named, each with the text up to the next
 * name as its string arguments: "Calculator: 2 * 3 and Order lookup: ORD-1" calls both.
 */
export function chooseToolCalls(request: ChatRequest, text: string, id: string): ToolCall[] {
	const named = (request.tools ?? [])
		.map((tool) => {
			const pattern = new RegExp(`\\b${tool.function.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/_/g, '[_ ]')}\\b\\s*:?\\s*`, 'i');
			const match = pattern.exec(text);
			return match ? { tool, start: match.index, end: match.index + match[0].length } : undefined;
		})
		.filter((found) => found !== undefined)
		.sort((a, b) => a.start - b.start);
	return named.map(({ tool, end }, index) => {
		const until = named[index + 1]?.start ?? text.length;
		const argument = text.slice(end, until).replace(/[\s,;]*(and)?\s*$/i, '').trim() || text.trim();
		const parameters = tool.function.parameters ?? {};
		const properties = parameters.properties ?? {};
		if (Object.keys(properties).length === 0) return call(tool.function.name, `${id}_${index}`, { input: argument });
		// Numbers and flags fit the schema; every string argument is the text the user wrote for the tool.
		const args = fit(parameters, argument) as Record<string, unknown>;
		for (const key of Object.keys(properties)) if ((properties[key].type ?? 'string') === 'string') args[key] = argument;
		return call(tool.function.name, `${id}_${index}`, args);
	});
}

function call(name: string, id: string, args: unknown): ToolCall {
	return { id: `call_${id}`, type: 'function', function: { name, arguments: JSON.stringify(args) } };
}

/** The Agent's "Require Specific Output Format" tool: the final answer goes through it. */
export const FORMAT_TOOL = 'format_final_json_response';

export function formatToolCall(request: ChatRequest, text: string, id: string): ToolCall | undefined {
	const tool = request.tools?.find((candidate) => candidate.function.name === FORMAT_TOOL);
	if (!tool) return undefined;
	return call(FORMAT_TOOL, `${id}_format`, fit(tool.function.parameters ?? { type: 'object' }, text));
}

const RECALL = /what (was|did) (my|i) (previous|last|first|earlier) (question|message|say)/i;

/** A question about the previous message, answered from the conversation (what memory gave it). */
export function recallAnswer(request: ChatRequest, text: string): string | undefined {
	if (!RECALL.test(text)) return undefined;
	const users = request.messages.filter((message) => message.role === 'user').map(textOf);
	const previous = users.length > 1 ? users[users.length - 2] : undefined;
	return previous ? `Your previous message was: ${previous}` : 'I have no previous message from you.';
}
