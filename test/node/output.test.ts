import type { IDataObject } from 'n8n-workflow';

import { countTokens, promptTokens } from '../simulator';
import { expectLeakScanCoverage, outputJson, runChat, useSimulator } from './setup';

const simulator = useSimulator();

describe('simplified and raw output', () => {
	it('simplifies the API body, usage mapped from the same numbers the raw body carries', async () => {
		const items = [{ chatInput: 'Where is my parcel?' }];
		const simplified = outputJson(await runChat(simulator(), { items }))[0];
		const raw = outputJson(await runChat(simulator(), { items, parameters: { simplify: false } }))[0];

		const answer = 'MoAI answer to: Where is my parcel?';
		const prompt = promptTokens([{ role: 'user', content: 'Where is my parcel?' }]);
		const completion = countTokens(answer);
		expect(raw).toEqual({
			id: 'chatcmpl-2',
			object: 'chat.completion',
			created: expect.any(Number),
			model: 'Humiris/humiris-moai',
			choices: [
				{
					index: 0,
					message: { role: 'assistant', content: answer },
					finish_reason: 'stop',
					stop_reason: null,
				},
			],
			usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
		});
		expect(simplified).toEqual({
			content: answer,
			finishReason: 'stop',
			stopReason: null,
			truncated: false,
			usage: { promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion },
			model: 'Humiris/humiris-moai',
			id: 'chatcmpl-1',
		});
	});

	it('outputs the stop sequence that ended the answer as stopReason', async () => {
		const result = await runChat(simulator(), {
			items: [{ chatInput: 'first part. second part' }],
			parameters: { options: { stop: ['.'] } },
		});

		expect(outputJson(result)[0]).toMatchObject({
			content: 'MoAI answer to: first part',
			finishReason: 'stop',
			stopReason: '.',
		});
	});
});

describe('Response Format: JSON Object', () => {
	const jsonMode = { options: { responseFormat: 'json_object' } };

	it('outputs the parsed object', async () => {
		const result = await runChat(simulator(), {
			items: [{ chatInput: 'I want a refund for my invoice' }],
			parameters: jsonMode,
		});

		expect(outputJson(result)[0].content).toEqual({
			category: 'billing',
			answer: 'MoAI answer to: I want a refund for my invoice',
			confidence: 0.9,
		});
	});

	it('unwraps a ```json fence around the object, which text mode leaves as it is', async () => {
		const items = [{ chatInput: 'The app shows an error [[sim:json-fence]]' }];
		const json = outputJson(await runChat(simulator(), { items, parameters: jsonMode }))[0];
		const text = outputJson(await runChat(simulator(), { items }))[0];

		expect(json.content).toEqual({
			category: 'technical',
			answer: 'MoAI answer to: The app shows an error',
			confidence: 0.9,
		});
		expect(text.content).toMatch(/^```json\n\{"category":"technical",.*\}\n```$/);
	});

	it('fails an item whose reply is not valid JSON instead of passing the text on', async () => {
		const result = await runChat(simulator(), {
			items: [{ chatInput: 'A fine question' }, { chatInput: 'Reset my password [[sim:bad-json]]' }],
			parameters: jsonMode,
		});

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(
			/^The response format is JSON but the model's reply is not valid JSON: "\{\\"category\\":\\"account\\".*,"$/,
		);
		expect(result.error).toMatchObject({
			description: 'Say in the prompt or system message which JSON fields you want, or switch Response Format to Text.',
			itemIndex: 1,
		});

		const continued = await runChat(simulator(), {
			items: [{ chatInput: 'Reset my password [[sim:bad-json]]' }],
			parameters: jsonMode,
			continueOnFail: true,
		});
		expect(outputJson(continued)).toEqual([
			{
				error: expect.objectContaining({ code: 'INVALID_JSON_REPLY', status: null, retryable: false }),
			},
		]);
	});
});

describe('Keep Input Fields', () => {
	it('keeps the item fields and puts the result under the Result Field Name', async () => {
		const result = await runChat(simulator(), {
			items: [{ ticketId: 7, requester: 'ana@example.com', chatInput: 'Hi' }],
			parameters: { options: { keepInputFields: true, resultField: 'answer' } },
		});

		expect(outputJson(result)).toEqual([
			{
				ticketId: 7,
				requester: 'ana@example.com',
				chatInput: 'Hi',
				answer: expect.objectContaining({ content: 'MoAI answer to: Hi', finishReason: 'stop' }),
			},
		]);
	});

	it('puts the result under "response" when no field name is given', async () => {
		const result = await runChat(simulator(), {
			items: [{ ticketId: 8, chatInput: 'Hey' }],
			parameters: { options: { keepInputFields: true } },
		});

		expect(outputJson(result)).toEqual([
			{ ticketId: 8, chatInput: 'Hey', response: expect.objectContaining({ content: 'MoAI answer to: Hey' }) },
		]);
	});
});

describe('item linking', () => {
	it.each([1, 5])(
		'outputs every item in input order, paired with its input, at concurrency %i',
		async (concurrency) => {
			const sim = simulator();
			// Random per-request latency makes answers arrive out of order when several are in flight.
			sim.setLatency({ min: 5, max: 60 });
			const items: IDataObject[] = [0, 1, 2, 3, 4].map((n) => ({ chatInput: `question ${n}` }));

			const result = await runChat(sim, { items, parameters: { options: { concurrency } } });

			expect(result.items[0].map(({ json, pairedItem }) => [json.content, pairedItem])).toEqual(
				[0, 1, 2, 3, 4].map((n) => [`MoAI answer to: question ${n}`, { item: n }]),
			);
			expect(sim.peakInFlight).toBe(concurrency);
		},
	);
});

describe('answers cut off at Maximum Tokens', () => {
	it('marks them truncated and says how many in a hint', async () => {
		const result = await runChat(simulator(), {
			// "MoAI answer to: Hi" is exactly 5 tokens, so only the longer question is cut.
			items: [{ chatInput: 'Hi' }, { chatInput: 'Why was I charged twice this month?' }, { chatInput: 'Yo' }],
			parameters: { options: { maxTokens: 5 } },
		});

		expect(outputJson(result).map(({ truncated, finishReason }) => [truncated, finishReason])).toEqual([
			[false, 'stop'],
			[true, 'length'],
			[false, 'stop'],
		]);
		expect(outputJson(result)[1]).toMatchObject({
			content: 'MoAI answer to: Why',
			usage: { completionTokens: 5 },
		});
		expect(result.hints).toEqual([
			expect.objectContaining({ message: expect.stringMatching(/^1 of 3 answers were cut off at the Maximum Tokens limit/) }),
			expect.objectContaining({ message: expect.stringMatching(/^Run summary: 3 answered, 0 failed;/) }),
		]);
	});

	it('gives no such hint when nothing was cut, only the run summary', async () => {
		const result = await runChat(simulator(), { parameters: { options: { maxTokens: 100 } } });

		expect(outputJson(result)[0].truncated).toBe(false);
		expect(result.hints.map(({ message }) => message)).toEqual([expect.stringMatching(/^Run summary: 1 answered, 0 failed;/)]);
	});
});

expectLeakScanCoverage(['output', 'error', 'log']);
