import type { IDataObject } from 'n8n-workflow';

import type { ChatCompletion, ChatMessage } from '../../shared/api-types';
import { isJson, parseJson } from '../../shared/json';
import { HumirisRequestError } from '../../shared/transport/errors';
import type { CompletionRequest } from '../../shared/transport/request';
import { settle } from '../../shared/transport/retry';
import { describeViolations } from './json-schema/describe';
import { validate, type Violation } from './json-schema/validate';
import { JsonReplyError, shapeResult, unfence, type ShapeOptions } from './output';
import type { SchemaPlan } from './schema-option';

/** Shared by every item of one run, so a refusal of `json_schema` is learnt once. */
export interface SchemaFallback {
	refused: boolean;
}

export interface TokenUsage {
	promptTokens: number | null;
	completionTokens: number | null;
	totalTokens: number | null;
}

/** An item's answer: its (last) completion, and for a JSON Schema item the reply that fits and what it took. */
export interface ItemAnswer {
	completion: ChatCompletion;
	fitted?: {
		content: unknown;
		attempts: number;
		/** Every attempt's tokens added up: each one was billed. */
		usage: TokenUsage;
	};
}

/** The model's replies never fit the schema; worded for the user, naming each path and rule. */
export class SchemaMismatchError extends Error {
	constructor(
		readonly violations: Violation[],
		readonly lastReply: string,
		readonly attempts: number,
		readonly usage: TokenUsage,
	) {
		super(
			`The model's reply does not match the JSON Schema after ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}: ${describeViolations(violations).join('; ')}`,
		);
	}
}

type Send = (request: CompletionRequest) => Promise<ChatCompletion>;

function sumUsage(completions: ChatCompletion[]): TokenUsage {
	const total = (field: 'prompt_tokens' | 'completion_tokens' | 'total_tokens') => {
		const counts = completions.map((completion) => completion.usage?.[field]).filter((count) => typeof count === 'number');
		return counts.length > 0 ? counts.reduce((sum, count) => sum + count, 0) : null;
	};
	return { promptTokens: total('prompt_tokens'), completionTokens: total('completion_tokens'), totalTokens: total('total_tokens') };
}

/** A 400 (or 422) that names the field: the API does not take `json_schema`, whatever else it may take. */
function refusesJsonSchema(error: unknown): boolean {
	if (!(error instanceof HumirisRequestError)) return false;
	const { status, message, description } = error.failure;
	return (status === 400 || status === 422) && /response_format|json_schema/i.test(`${message} ${description}`);
}

async function sendAttempt(send: Send, request: CompletionRequest, messages: ChatMessage[], fallback: SchemaFallback) {
	const withoutFormat: IDataObject = { ...request.body, messages };
	delete withoutFormat.response_format;
	const instructionOnly = { ...request, body: withoutFormat };
	if (fallback.refused) return await send(instructionOnly);
	const asked = await settle(send({ ...request, body: { ...request.body, messages } }));
	if (asked.ok) return asked.value;
	if (!refusesJsonSchema(asked.error)) throw asked.error;
	// The instruction in the system message still asks for the schema, and every reply is checked.
	fallback.refused = true;
	return await send(instructionOnly);
}

type ReplyCheck = { ok: true; value: unknown } | { ok: false; violations: Violation[] };

function checkReply(plan: SchemaPlan, text: string): ReplyCheck {
	const parsed = parseJson(unfence(text));
	if (!isJson(parsed)) {
		return {
			ok: false,
			violations: [{ path: [], rule: 'JSON', expected: 'must be valid JSON and nothing else', got: 'text that is not valid JSON' }],
		};
	}
	const violations = validate(plan.compiled, parsed);
	return violations.length === 0 ? { ok: true, value: parsed } : { ok: false, violations };
}

/** The user turn of a re-ask: exactly what is wrong, and what to send back. */
function correctionPrompt(violations: Violation[]): string {
	return [
		'Your reply does not match the JSON Schema:',
		...describeViolations(violations).map((line) => `- ${line}`),
		'Reply with the corrected JSON object only: no other text, no Markdown fence.',
	].join('\n');
}

/**
 * Asks until a reply fits the schema: a reply that does not is re-asked on the same
 * conversation (it goes back as the assistant's turn, the correction as the user's), at most
 * `plan.retries` times. A reply cut at Maximum Tokens is not re-asked: the same limit would
 * cut the next one too.
 */
export async function askForSchema(
	send: Send,
	request: CompletionRequest,
	plan: SchemaPlan,
	fallback: SchemaFallback,
): Promise<ItemAnswer> {
	const messages = [...(request.body.messages as ChatMessage[])];
	const completions: ChatCompletion[] = [];
	for (;;) {
		const completion = await sendAttempt(send, request, [...messages], fallback);
		completions.push(completion);
		const choice = completion.choices[0];
		const reply = typeof choice.message.content === 'string' ? choice.message.content : '';
		const verdict = checkReply(plan, reply);
		if (verdict.ok) {
			return { completion, fitted: { content: verdict.value, attempts: completions.length, usage: sumUsage(completions) } };
		}
		if (choice.finish_reason === 'length') {
			throw new JsonReplyError(
				`The model's JSON reply was cut off at the Maximum Tokens limit (finish reason "length") before it matched the JSON Schema: ${JSON.stringify(reply.slice(-100))}`,
				true,
			);
		}
		if (completions.length > plan.retries) {
			throw new SchemaMismatchError(verdict.violations, reply, completions.length, sumUsage(completions));
		}
		messages.push({ role: 'assistant', content: reply }, { role: 'user', content: correctionPrompt(verdict.violations) });
	}
}

/** One request, or for a JSON Schema item as many as it takes to get a reply that fits. */
export async function answerItem(
	send: Send,
	request: CompletionRequest,
	plan: SchemaPlan | undefined,
	fallback: SchemaFallback,
): Promise<ItemAnswer> {
	return plan ? await askForSchema(send, request, plan, fallback) : { completion: await send(request) };
}

/** A JSON Schema item carries the validated object as `content`, with usage summed over every attempt. */
export function shapeAnswer(answer: ItemAnswer, shape: ShapeOptions): IDataObject {
	const { completion, fitted } = answer;
	if (!fitted) return shapeResult(completion, shape);
	const content = fitted.content as IDataObject;
	const usage = { ...fitted.usage };
	if (shape.simplify) {
		return { ...shapeResult(completion, { simplify: true, jsonReply: false }), content, usage, attempts: fitted.attempts };
	}
	return { ...(completion as IDataObject), validation: { valid: true, attempts: fitted.attempts, usage, content } };
}
