import type { ChatMessage, ContentPart, Role } from '../../shared/api-types';
import { ROLES } from '../../shared/api-types';
import { isJson, parseJson } from '../../shared/json';

/** A problem with what the user gave us, worded for the user; the node adds the item index. */
export class MessageInputError extends Error {}

export interface MessageRow {
	role?: string;
	content?: unknown;
}

function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function textOf(value: unknown): string {
	if (value === undefined || value === null) return '';
	return typeof value === 'string' ? value : JSON.stringify(value);
}

export const PROMPT_FIELDS = ['chatInput', 'prompt', 'text'] as const;

/**
 * The default prompt source, read in code rather than through an expression: expressions
 * run in n8n's sandbox, which would cost more CPU per item than the rest of the node.
 */
export function promptFromItem(json: Record<string, unknown>): unknown {
	const field = PROMPT_FIELDS.find((name) => textOf(json[name]).trim() !== '');
	if (field === undefined) {
		throw new MessageInputError(
			`The item has no text in its ${PROMPT_FIELDS.map((name) => `"${name}"`).join(', ')} fields. Set Prompt Source to Define Below to say what to send.`,
		);
	}
	return json[field];
}

export function fromPrompt(prompt: unknown, systemMessage: unknown): ChatMessage[] {
	const user = textOf(prompt);
	if (user.trim() === '') {
		throw new MessageInputError(
			'The prompt is empty. Set "Prompt" to the text to send, for example {{ $json.text }}.',
		);
	}
	const system = textOf(systemMessage);
	const messages: ChatMessage[] = system.trim() ? [{ role: 'system', content: system }] : [];
	messages.push({ role: 'user', content: user });
	return messages;
}

export function fromRows(rows: MessageRow[]): ChatMessage[] {
	const listed = rows.map((row, index) => {
		const role = row.role ?? 'user';
		if (!isRole(role)) {
			throw new MessageInputError(`Message ${index}: role "${role}" is not one of ${ROLES.join(', ')}.`);
		}
		return { role, content: textOf(row.content) };
	});
	const messages = listed.filter((message) => message.content.trim() !== '');
	if (messages.length === 0) {
		throw new MessageInputError('Add at least one message with some content.');
	}
	// Without a user turn the model answers the system message alone: an expression that came
	// out empty must not turn into a confident answer to nothing.
	if (!messages.some((message) => message.role === 'user')) {
		const empty = listed.flatMap((message, index) => (message.role === 'user' ? [index] : []));
		throw new MessageInputError(
			empty.length > 0
				? `The Message List has no user message with content: ${empty.map((index) => `message ${index}`).join(', ')} (user) ${empty.length > 1 ? 'are' : 'is'} empty. Check its expression.`
				: 'The Message List has no user message. Add a message with the role User.',
		);
	}
	return messages;
}

function checkContent(content: unknown, where: string, allowNull: boolean): void {
	if (typeof content === 'string') return;
	if (content === null && allowNull) return;
	if (!Array.isArray(content)) {
		throw new MessageInputError(
			`${where}: "content" must be a string or an array of content parts, got ${describe(content)}.`,
		);
	}
	content.forEach((part: unknown, partIndex) => {
		const candidate = part as ContentPart;
		if (typeof part !== 'object' || part === null || typeof candidate.type !== 'string') {
			throw new MessageInputError(
				`${where}, content part ${partIndex}: expected an object with a "type", such as {"type": "text", "text": "…"}.`,
			);
		}
	});
}

/**
 * Conversation history carried in an item (an OpenAI-style messages array) is the one
 * mode where anything can arrive, so it is checked field by field and every problem says
 * which message is wrong and how.
 */
export function fromJson(value: unknown): ChatMessage[] {
	const parsed = typeof value === 'string' ? parseJson(value) : value;
	if (!isJson(parsed)) {
		throw new MessageInputError(
			'The messages JSON is not valid JSON. Expected an array such as [{"role": "user", "content": "Hello"}].',
		);
	}
	if (!Array.isArray(parsed)) {
		throw new MessageInputError(
			`The messages JSON must be an array of messages, got ${describe(parsed)}. Expected [{"role": "user", "content": "Hello"}].`,
		);
	}
	if (parsed.length === 0) {
		throw new MessageInputError('The messages JSON is an empty array: there is nothing to send.');
	}
	return parsed.map((entry: unknown, index) => {
		const where = `Message ${index}`;
		if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
			throw new MessageInputError(`${where} must be an object with "role" and "content", got ${describe(entry)}.`);
		}
		const message = entry as Record<string, unknown>;
		if (message.role === undefined || message.role === null || message.role === '') {
			throw new MessageInputError(`${where} has no "role". Use one of ${ROLES.join(', ')}.`);
		}
		if (!isRole(message.role)) {
			throw new MessageInputError(
				`${where} has an unknown role "${textOf(message.role)}". Use one of ${ROLES.join(', ')}.`,
			);
		}
		if (!('content' in message)) {
			throw new MessageInputError(`${where} has no "content".`);
		}
		// An assistant turn that only called tools legitimately has null content.
		checkContent(message.content, where, message.role === 'assistant' && 'tool_calls' in message);
		return message as ChatMessage;
	});
}
