import type { IDataObject } from 'n8n-workflow';

import { countTokens, promptTokens, type RecordedRequest } from '../simulator';
import { expectLeakScanCoverage, outputJson, runChat, sentBodies, useSimulator } from './setup';

const simulator = useSimulator();

const TICKET_SCHEMA = {
	type: 'object',
	properties: {
		category: { type: 'string', enum: ['billing', 'technical', 'account', 'general'] },
		answer: { type: 'string' },
		confidence: { type: 'number', minimum: 0, maximum: 1 },
		tags: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 5 }, maxItems: 3 },
	},
	required: ['category', 'answer', 'confidence'],
	additionalProperties: false,
};

const SYSTEM = 'You triage support tickets.';
const INSTRUCTION = `Answer with one JSON object that matches the JSON Schema below, and nothing else: no text before or after it, no Markdown fence.\nJSON Schema:\n${JSON.stringify(TICKET_SCHEMA)}`;
const FIX_UP_TAIL = 'Reply with the corrected JSON object only: no other text, no Markdown fence.';

function schemaRun(options: IDataObject = {}, parameters: IDataObject = {}) {
	return {
		messageMode: 'prompt',
		promptType: 'define',
		prompt: '={{ $json.text }}',
		systemMessage: SYSTEM,
		...parameters,
		options: { responseFormat: 'json_schema', jsonSchema: JSON.stringify(TICKET_SCHEMA), ...options },
	};
}

const fitting = (text: string, category: string) => ({
	category,
	answer: `MoAI answer to: ${text}`,
	confidence: 0.9,
	tags: [1],
});

type Message = { role: string; content: string };

const messagesOf = (request: RecordedRequest) => (request.body as { messages: Message[] }).messages;

/** What the simulator billed for one request: its prompt, and the reply the next request carries back (or the last one). */
function billed(requests: RecordedRequest[], lastReply: string) {
	const replies = [...requests.slice(1).map((request) => messagesOf(request).at(-2)?.content ?? ''), lastReply];
	const prompt = requests.reduce((sum, request) => sum + promptTokens(messagesOf(request)), 0);
	const completion = replies.reduce((sum, reply) => sum + countTokens(reply), 0);
	return { promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion };
}

describe('Response Format: JSON Schema', () => {
	it('asks through response_format and the system message, and outputs the validated object', async () => {
		const text = 'I was charged twice for my invoice';
		const result = await runChat(simulator(), { items: [{ text }], parameters: schemaRun() });

		const [body] = sentBodies(simulator());
		expect(body.response_format).toEqual({
			type: 'json_schema',
			json_schema: { name: 'response', schema: TICKET_SCHEMA, strict: false },
		});
		expect(body.messages).toEqual([
			{ role: 'system', content: `${SYSTEM}\n\n${INSTRUCTION}` },
			{ role: 'user', content: text },
		]);
		const requests = simulator().completions();
		expect(outputJson(result)).toEqual([
			{
				content: fitting(text, 'billing'),
				finishReason: 'stop',
				stopReason: null,
				truncated: false,
				usage: billed(requests, JSON.stringify(fitting(text, 'billing'))),
				model: 'Humiris/humiris-moai',
				id: 'chatcmpl-1',
				attempts: 1,
			},
		]);
		expect(result.hints).toEqual([expect.objectContaining({ message: expect.stringMatching(/^Run summary: /) })]);
	});

	it('re-asks on the same conversation with the failed reply and the precise error, and sums the usage', async () => {
		const text = 'Refund my payment please';
		const result = await runChat(simulator(), {
			items: [{ text: `${text} [[sim:schema-miss rule=enum]]` }],
			parameters: schemaRun(),
		});

		const requests = simulator().completions();
		expect(requests).toHaveLength(2);
		const failed = JSON.stringify({ ...fitting(text, 'billing'), category: 'Billing' });
		expect(messagesOf(requests[1])).toEqual([
			...messagesOf(requests[0]),
			{ role: 'assistant', content: failed },
			{
				role: 'user',
				content: `Your reply does not match the JSON Schema:\n- $.category (enum): must be one of "billing", "technical", "account", "general"; got the string "Billing"\n${FIX_UP_TAIL}`,
			},
		]);
		expect((requests[1].body as IDataObject).response_format).toEqual((requests[0].body as IDataObject).response_format);
		const [item] = outputJson(result);
		expect(item).toMatchObject({ content: fitting(text, 'billing'), attempts: 2, id: 'chatcmpl-2' });
		expect(item.usage).toEqual(billed(requests, JSON.stringify(fitting(text, 'billing'))));
		expect((item.usage as IDataObject).totalTokens).toBeGreaterThan(2 * promptTokens(messagesOf(requests[0])));
	});

	it.each([
		['a missing required field', 'required', '$.category (required): is missing: this property is required'],
		['a wrong type', 'type', '$.confidence (type): must be a number; got the string "high"'],
		[
			'an extra property with additionalProperties false',
			'extra',
			'$.note (additionalProperties): is not allowed: the object may only have "category", "answer", "confidence" or "tags"',
		],
		['an array item out of bounds', 'items', '$.tags[0] (maximum): must be at most 5; got the number 6'],
		['a reply that is not JSON', 'prose', '$ (JSON): must be valid JSON and nothing else; got text that is not valid JSON'],
	])('re-asks for %s, naming the path and the rule', async (_, rule, line) => {
		const result = await runChat(simulator(), {
			items: [{ text: `My account is locked [[sim:schema-miss rule=${rule}]]` }],
			parameters: schemaRun(),
		});

		const requests = simulator().completions();
		expect(requests).toHaveLength(2);
		expect(messagesOf(requests[1]).at(-1)).toEqual({
			role: 'user',
			content: `Your reply does not match the JSON Schema:\n- ${line}\n${FIX_UP_TAIL}`,
		});
		expect(outputJson(result)[0]).toMatchObject({ content: fitting('My account is locked', 'account'), attempts: 2 });
	});

	it('fails the item with SCHEMA_MISMATCH after the Fix-up Attempts, naming each path and rule, the last reply in the details', async () => {
		const text = 'The app crashes with an error [[sim:schema-miss rule=enum misses=all]]';
		const result = await runChat(simulator(), { items: [{ text }], parameters: schemaRun({ schemaRetries: 2 }) });

		expect(simulator().completions()).toHaveLength(3);
		const lastReply = JSON.stringify({ ...fitting('The app crashes with an error', 'technical'), category: 'Technical' });
		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({
			message:
				'The model\'s reply does not match the JSON Schema after 3 attempts: $.category (enum): must be one of "billing", "technical", "account", "general"; got the string "Technical"',
			description: `The model's last reply: ${lastReply}`,
			itemIndex: 0,
		});

		const continued = await runChat(simulator(), {
			items: [{ text }],
			parameters: schemaRun({ schemaRetries: 2 }),
			continueOnFail: true,
		});
		const requests = simulator().completions();
		expect(outputJson(continued)).toEqual([
			{
				error: {
					message: expect.stringMatching(/^The model's reply does not match the JSON Schema after 3 attempts: \$\.category \(enum\)/),
					description: `The model's last reply: ${lastReply}`,
					status: null,
					code: 'SCHEMA_MISMATCH',
					retryable: false,
					attempts: 3,
					violations: [
						{
							path: '$.category',
							rule: 'enum',
							expected: 'must be one of "billing", "technical", "account", "general"',
							got: 'the string "Technical"',
						},
					],
					lastReply,
					usage: billed(requests.slice(3), lastReply),
				},
			},
		]);
	});

	it('with Fix-up Attempts 0, fails an answer that does not fit at once', async () => {
		const result = await runChat(simulator(), {
			items: [{ text: 'Change my email [[sim:schema-miss rule=required]]' }],
			parameters: schemaRun({ schemaRetries: 0 }),
			continueOnFail: true,
		});

		expect(simulator().completions()).toHaveLength(1);
		expect(outputJson(result)[0].error).toMatchObject({
			code: 'SCHEMA_MISMATCH',
			attempts: 1,
			message: "The model's reply does not match the JSON Schema after 1 attempt: $.category (required): is missing: this property is required",
		});
	});

	it('reports a reply cut at Maximum Tokens as cut, not as a mismatch, and does not re-ask', async () => {
		const result = await runChat(simulator(), {
			items: [{ text: 'Why was I charged twice this month?' }],
			parameters: schemaRun({ maxTokens: 8 }),
			continueOnFail: true,
		});

		expect(simulator().completions()).toHaveLength(1);
		expect(outputJson(result)[0].error).toMatchObject({
			code: 'JSON_REPLY_TRUNCATED',
			message: expect.stringMatching(/^The model's JSON reply was cut off at the Maximum Tokens limit \(finish reason "length"\) before it matched the JSON Schema: /),
		});
		expect(result.hints).toEqual([
			expect.objectContaining({ message: expect.stringMatching(/^1 of 1 answers were cut off at the Maximum Tokens limit/) }),
			expect.objectContaining({ message: expect.stringMatching(/^Run summary: 0 answered, 1 failed; /) }),
		]);
	});

	it('falls back to the instruction alone, once per run, when Humiris refuses json_schema, and says so', async () => {
		simulator().setJsonSchemaSupport(false);
		const items = [{ text: 'Refund my invoice' }, { text: 'Reset my password' }, { text: 'Office hours?' }];
		const result = await runChat(simulator(), { items, parameters: schemaRun({ concurrency: 1 }) });

		const requests = simulator().completions();
		expect(requests.map((request) => [request.status, 'response_format' in (request.body as IDataObject)])).toEqual([
			[400, true],
			[200, false],
			[200, false],
			[200, false],
		]);
		expect(messagesOf(requests[1])).toEqual(messagesOf(requests[0]));
		expect(messagesOf(requests[1])[0].content).toContain(INSTRUCTION);
		expect(outputJson(result).map((item) => [(item.content as IDataObject).category, item.attempts])).toEqual([
			['billing', 1],
			['account', 1],
			['general', 1],
		]);
		expect(result.hints).toEqual([
			expect.objectContaining({
				message: expect.stringMatching(
					/^Run summary: 3 answered, 0 failed; .* Humiris refused response_format "json_schema" \(an HTTP 400 or 422 naming response_format or json_schema\), so the rest of this run asked for the JSON Schema through the system message alone\. Every answer was still checked against the schema\.$/,
				),
			}),
		]);
	});

	it('falls back the same way for a 422 that names json_schema but not response_format', async () => {
		const sim = simulator();
		sim.setFaults((request) =>
			'response_format' in (request.body as IDataObject) ? { kind: 'reply', shape: 'json-schema-unprocessable' } : undefined,
		);
		const items = [{ text: 'Refund my invoice' }, { text: 'Reset my password' }];
		const result = await runChat(sim, { items, parameters: schemaRun({ concurrency: 1 }) });

		expect(sim.completions().map((request) => [request.status, 'response_format' in (request.body as IDataObject)])).toEqual([
			[422, true],
			[200, false],
			[200, false],
		]);
		expect(outputJson(result).map((item) => (item.content as IDataObject).category)).toEqual(['billing', 'account']);
		expect(result.hints).toEqual([expect.objectContaining({ message: expect.stringContaining('Humiris refused response_format "json_schema"') })]);
	});

	it('refuses a schema with a keyword it does not check before sending anything', async () => {
		const schema = { ...TICKET_SCHEMA, properties: { ...TICKET_SCHEMA.properties, tags: { type: 'array', prefixItems: [{ type: 'string' }] } } };
		const parameters = schemaRun({ jsonSchema: JSON.stringify(schema) });
		const result = await runChat(simulator(), { items: [{ text: 'a' }, { text: 'b' }], parameters });

		expect(simulator().completions()).toHaveLength(0);
		expect(result.error?.message).toMatch(
			/^Item 0: The JSON Schema uses the keyword "prefixItems" \(at #\/properties\/tags\/prefixItems\), which this node does not check\. Remove it or express the rule with the keywords it checks: type, properties, required, /,
		);
		expect(result.error?.description).toBe('Fix the JSON Schema or JSON Example option. No request was sent.');

		const continued = await runChat(simulator(), { items: [{ text: 'a' }, { text: 'b' }], parameters, continueOnFail: true });
		expect(simulator().completions()).toHaveLength(0);
		expect(outputJson(continued).map((item) => (item.error as IDataObject).code)).toEqual(['INVALID_SCHEMA', 'INVALID_SCHEMA']);
	});

	it('keeps the item and its input fields under continue on fail while the other items succeed', async () => {
		const result = await runChat(simulator(), {
			items: [
				{ ticketId: 'T-1', text: 'Refund me' },
				{ ticketId: 'T-2', text: 'Crash! [[sim:schema-miss rule=type misses=all]]' },
			],
			parameters: schemaRun({ keepInputFields: true, resultField: 'triage' }),
			continueOnFail: true,
		});

		const [first, second] = outputJson(result);
		expect(first).toMatchObject({ ticketId: 'T-1', triage: { content: fitting('Refund me', 'billing'), attempts: 1 } });
		expect(second).toMatchObject({
			ticketId: 'T-2',
			text: 'Crash! [[sim:schema-miss rule=type misses=all]]',
			error: { code: 'SCHEMA_MISMATCH', attempts: 2, violations: [expect.objectContaining({ path: '$.confidence', rule: 'type' })] },
		});
		expect(result.items[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('derives the schema from a JSON Example: every field required, the types of its values', async () => {
		const example = { category: 'billing', confidence: 0.5, urgent: true, tags: ['refund'] };
		const result = await runChat(simulator(), {
			items: [{ text: 'Refund please' }],
			parameters: schemaRun({ jsonSchema: undefined, jsonExample: JSON.stringify(example) }),
		});

		const derived = {
			type: 'object',
			properties: {
				category: { type: 'string' },
				confidence: { type: 'number' },
				urgent: { type: 'boolean' },
				tags: { type: 'array', items: { type: 'string' } },
			},
			required: ['category', 'confidence', 'urgent', 'tags'],
		};
		expect((sentBodies(simulator())[0].response_format as IDataObject).json_schema).toEqual({
			name: 'response',
			schema: derived,
			strict: false,
		});
		expect(outputJson(result)[0].content).toEqual({ category: 'billing', confidence: 0.9, urgent: true, tags: ['text'] });
	});

	it('reads the schema per item from an expression', async () => {
		const narrow = { type: 'object', properties: { category: { const: 'general' } }, required: ['category'] };
		const result = await runChat(simulator(), {
			items: [
				{ text: 'Refund me', schema: TICKET_SCHEMA },
				{ text: 'Refund me', schema: narrow },
			],
			parameters: schemaRun({ jsonSchema: '={{ JSON.stringify($json.schema) }}' }),
		});

		expect(sentBodies(simulator()).map((body) => (body.response_format as { json_schema: IDataObject }).json_schema.schema)).toEqual([
			TICKET_SCHEMA,
			narrow,
		]);
		expect(outputJson(result).map((item) => item.content)).toEqual([fitting('Refund me', 'billing'), { category: 'general' }]);
	});

	it('with Simplify Output off, outputs the whole last response and the validation outcome', async () => {
		const text = 'Refund my invoice [[sim:schema-miss rule=extra]]';
		const result = await runChat(simulator(), { items: [{ text }], parameters: schemaRun({}, { simplify: false }) });

		const requests = simulator().completions();
		const content = fitting('Refund my invoice', 'billing');
		expect(outputJson(result)).toEqual([
			{
				id: 'chatcmpl-2',
				object: 'chat.completion',
				created: expect.any(Number),
				model: 'Humiris/humiris-moai',
				choices: [
					{ index: 0, message: { role: 'assistant', content: JSON.stringify(content) }, finish_reason: 'stop', stop_reason: null },
				],
				usage: {
					prompt_tokens: promptTokens(messagesOf(requests[1])),
					completion_tokens: countTokens(JSON.stringify(content)),
					total_tokens: promptTokens(messagesOf(requests[1])) + countTokens(JSON.stringify(content)),
				},
				validation: { valid: true, attempts: 2, usage: billed(requests, JSON.stringify(content)), content },
			},
		]);
	});

	it('refuses a schema left in place while Response Format is not JSON Schema, instead of ignoring it', async () => {
		const result = await runChat(simulator(), {
			items: [{ text: 'hi' }],
			parameters: schemaRun({ responseFormat: 'json_object' }),
			continueOnFail: true,
		});

		expect(simulator().completions()).toHaveLength(0);
		expect(outputJson(result)[0].error).toMatchObject({
			code: 'INVALID_SCHEMA',
			message:
				'Item 0: The JSON Schema option is set but Response Format is not "JSON Schema", so the answer would not be checked. Set Response Format to JSON Schema, or remove the JSON Schema option.',
		});
	});
});

expectLeakScanCoverage(['output', 'error', 'log']);
