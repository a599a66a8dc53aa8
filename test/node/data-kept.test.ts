import type { IBinaryKeyData, IDataObject } from 'n8n-workflow';

import { HumirisApi } from '../../credentials/HumirisApi.credentials';
import { HumirisChat } from '../../nodes/HumirisChat/HumirisChat.node';
import { runWorkflow } from '../engine';
import { expectLeakScanCoverage, outputJson, runChat, useSimulator } from './setup';

/** What must survive the node: the input's binary data and fields, tool calls, every choice. */
const simulator = useSimulator();

const ATTACHMENT: IBinaryKeyData = {
	data: { data: Buffer.from('ticket attachment').toString('base64'), mimeType: 'text/plain', fileName: 'ticket.txt' },
};

describe('Keep Input Fields', () => {
	it('keeps the input binary data on the output item', async () => {
		const result = await runChat(simulator(), {
			items: [{ chatInput: 'Summarise', ticket: 7 }],
			binaries: [ATTACHMENT],
			parameters: { options: { keepInputFields: true } },
		});

		const [item] = result.items[0];
		expect(item.json).toMatchObject({ ticket: 7, response: { content: 'MoAI answer to: Summarise' } });
		expect(item.binary?.data).toMatchObject({ mimeType: 'text/plain', fileName: 'ticket.txt' });
	});

	it('does not carry binary data when the input is not kept', async () => {
		const result = await runChat(simulator(), { items: [{ chatInput: 'Summarise' }], binaries: [ATTACHMENT] });

		expect(result.items[0][0].binary).toBeUndefined();
	});

	it('keeps the input fields and binary data on an error item, with the error under "error"', async () => {
		const result = await runChat(simulator(), {
			items: [{ chatInput: 'Down [[sim:status=503]]', ticket: 42, requester: 'ana@example.com' }],
			binaries: [ATTACHMENT],
			parameters: { options: { keepInputFields: true, maxRetries: 0 } },
			continueOnFail: true,
		});

		const [item] = result.items[0];
		expect(item.json).toMatchObject({
			chatInput: 'Down [[sim:status=503]]',
			ticket: 42,
			requester: 'ana@example.com',
			error: { code: 'SERVER_ERROR', status: 503 },
		});
		expect(item.binary?.data).toMatchObject({ fileName: 'ticket.txt' });
	});

	it("routes such an error item to n8n's error output, input fields and all", async () => {
		const sim = simulator();
		const result = await runWorkflow({
			nodeTypes: [HumirisChat],
			credentialTypes: [HumirisApi],
			credentials: { humirisApi: { apiKey: sim.apiKey, mixTuningId: sim.mixTuningId, baseUrl: sim.url } },
			items: [{ chatInput: 'fine', ticket: 1 }, { chatInput: 'Down [[sim:status=503]]', ticket: 2 }],
			node: {
				type: 'humirisChat',
				parameters: { options: { keepInputFields: true, maxRetries: 0 } },
				onError: 'continueErrorOutput',
			},
		});

		const [success, failure] = result.items;
		expect(success.map(({ json }) => json.ticket)).toEqual([1]);
		expect(failure.map(({ json }) => [json.ticket, (json.error as IDataObject).code])).toEqual([[2, 'SERVER_ERROR']]);
	});
});

describe('simplified output', () => {
	it('includes the tool calls of a reply that calls tools', async () => {
		const result = await runChat(simulator(), {
			items: [{ chatInput: 'Find ticket 7 [[sim:tool-calls]]' }],
			parameters: {
				options: { additionalBodyFields: JSON.stringify({ tools: [{ type: 'function', function: { name: 'lookup_ticket' } }] }) },
			},
		});

		expect(outputJson(result)[0]).toMatchObject({
			content: null,
			finishReason: 'tool_calls',
			toolCalls: [{ type: 'function', function: { name: 'lookup_ticket', arguments: '{"query":"Find ticket 7"}' } }],
		});
	});

	it('keeps further choices under otherChoices, the first choice staying the answer', async () => {
		const result = await runChat(simulator(), {
			items: [{ chatInput: 'Two please [[sim:two-choices]]' }],
			parameters: { options: { additionalBodyFields: '{"n": 2}' } },
		});

		expect(outputJson(result)[0]).toMatchObject({
			content: 'MoAI answer to: Two please',
			otherChoices: [{ content: 'Another MoAI answer to: Two please', finishReason: 'stop' }],
		});
	});
});

describe('JSON replies cut at Maximum Tokens', () => {
	it('says the reply was cut and to raise Maximum Tokens, and the hint counts it', async () => {
		const result = await runChat(simulator(), {
			items: [{ chatInput: 'Classify: my invoice is wrong' }, { chatInput: 'Classify: app crash' }],
			parameters: { options: { responseFormat: 'json_object', maxTokens: 5 } },
			continueOnFail: true,
		});

		const errors = outputJson(result).map(({ error }) => error as IDataObject);
		expect(errors.map(({ code }) => code)).toEqual(['JSON_REPLY_TRUNCATED', 'JSON_REPLY_TRUNCATED']);
		expect(errors[0].message).toMatch(/^The model's JSON reply was cut off at the Maximum Tokens limit/);
		expect(errors[0].description).toMatch(/Raise the Maximum Tokens option/);
		expect(result.hints.map(({ message }) => message)).toEqual([
			expect.stringMatching(/^2 of 2 answers were cut off/),
			expect.stringMatching(/^Run summary: 0 answered, 2 failed;/),
		]);
	});

	it('checks a JSON reply with Simplify Output off too, passing the response on as it came', async () => {
		const bad = await runChat(simulator(), {
			items: [{ chatInput: 'Classify [[sim:bad-json]]' }],
			parameters: { simplify: false, options: { responseFormat: 'json_object' } },
			continueOnFail: true,
		});
		const good = await runChat(simulator(), {
			items: [{ chatInput: 'Classify: refund' }],
			parameters: { simplify: false, options: { responseFormat: 'json_object' } },
		});

		expect((outputJson(bad)[0].error as IDataObject).code).toBe('INVALID_JSON_REPLY');
		expect(outputJson(good)[0]).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: expect.stringMatching(/^\{"category":"billing"/) } }] });
	});
});

describe('input that would send the wrong request', () => {
	it('rejects "stream": true in Additional Body Fields before sending', async () => {
		const sim = simulator();
		const result = await runChat(sim, { parameters: { options: { additionalBodyFields: '{"stream": true}' } } });

		expect(result.error?.message).toBe(
			'Item 0: "Additional Body Fields" sets "stream", but this node reads each answer whole and cannot read a stream. Remove "stream" from Additional Body Fields.',
		);
		expect(sim.completions()).toHaveLength(0);
	});

	it('fails an item whose Message List has no user message with content, naming the empty row', async () => {
		const sim = simulator();
		const result = await runChat(sim, {
			items: [{ question: 'Is my order late?' }, { question: '' }],
			parameters: {
				messageMode: 'messages',
				messages: { message: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: '={{ $json.question }}' }] },
			},
			continueOnFail: true,
		});

		const [answered, failed] = outputJson(result);
		expect(answered.content).toBe('MoAI answer to: Is my order late?');
		expect(failed.error).toMatchObject({
			code: 'INVALID_INPUT',
			message: 'Item 1: The Message List has no user message with content: message 1 (user) is empty. Check its expression.',
		});
		expect(sim.completions()).toHaveLength(1);
	});
});

describe('an empty MixTuning ID', () => {
	it("fails once before sending, naming the credential's field", async () => {
		const sim = simulator();
		const result = await runChat(sim, { items: [{ chatInput: 'a' }, { chatInput: 'b' }], credentials: { mixTuningId: '' } });

		expect(result.error).toMatchObject({
			message:
				'The MixTuning ID in the Humiris API credential is empty. Open the credential and fill in the MixTuning ID field from the MixTuning page of your Humiris dashboard.',
			itemIndex: 0,
		});
		expect(sim.requests).toHaveLength(0);
	});

	it("fails an item whose MixTuning ID Override came out empty, naming the override", async () => {
		const sim = simulator();
		const result = await runChat(sim, {
			items: [{ chatInput: 'a', mix: '' }],
			parameters: { options: { mixTuningId: '={{ $json.mix }}' } },
			continueOnFail: true,
		});

		expect(outputJson(result)[0].error).toMatchObject({
			code: 'MIX_TUNING_ID_MISSING',
			message:
				"The node's MixTuning ID Override is empty for this item. Fill it in, or remove the option to use the credential's MixTuning ID.",
		});
		expect(sim.requests).toHaveLength(0);
	});
});

describe('one message per error', () => {
	it('lists a network error message once in the error messages', async () => {
		const sim = simulator();
		const result = await runChat(sim, { items: [{ chatInput: 'x [[sim:drop]]' }], parameters: { options: { maxRetries: 0 } } });

		const messages = (result.error?.raw as unknown as { messages: string[] }).messages;
		expect(messages).toEqual([...new Set(messages)]);
		expect(messages.length).toBeGreaterThan(0);
	});
});

expectLeakScanCoverage(['output', 'error', 'log']);
