import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { closedBaseUrl, expectLeakScanCoverage, useSimulator } from '../node/setup';
import { calculatorTool } from '../engine/fixtures/model-probe-node';
import { modelCalls, probeOutput, runModel } from './setup';

const WRONG_KEY = 'wrong-dummy-model-key-3e9b';
const sim = useSimulator();
const bodies = () => sim().completions().map(({ body }) => body as IDataObject);

describe('Humiris Chat Model through the SDK adapter: generate', () => {
	it('sends one OpenAI-style request with the credential headers and answers with the completion', async () => {
		const result = await runModel(sim(), { prompt: 'What is MoAI?' });

		expect(result.error).toBeUndefined();
		expect(probeOutput(result).text).toBe('MoAI answer to: What is MoAI?');
		const [request] = sim().completions();
		expect(sim().completions()).toHaveLength(1);
		expect(request.headers.apikey).toBe(sim().apiKey);
		expect(request.headers.mixtuningid).toBe(sim().mixTuningId);
		expect(request.headers.authorization).toBeUndefined();
		expect(request.body).toEqual({
			model: 'Humiris/humiris-moai',
			messages: [
				{ role: 'system', content: 'You are a helpful assistant.' },
				{ role: 'user', content: 'What is MoAI?' },
			],
		});
	});

	it('sends the sampling options, the model and the MixTuning override under the names Humiris Chat uses', async () => {
		await runModel(sim(), {
			parameters: {
				model: 'Humiris/other-mix',
				options: {
					temperature: 0.2,
					maxTokens: 50,
					topP: 0.9,
					frequencyPenalty: 0.5,
					presencePenalty: -0.5,
					stop: ['END'],
					seed: 7,
					mixTuningId: sim().mixTuningIds[1],
				},
			},
		});
		const [request] = sim().completions();
		expect(request.headers.mixtuningid).toBe(sim().mixTuningIds[1]);
		expect(request.body).toMatchObject({
			model: 'Humiris/other-mix',
			temperature: 0.2,
			max_tokens: 50,
			top_p: 0.9,
			frequency_penalty: 0.5,
			presence_penalty: -0.5,
			stop: ['END'],
			seed: 7,
		});
	});

	it('reports the token usage to LangChain and to n8n (the model node logs it per call)', async () => {
		const result = await runModel(sim());
		const usage = probeOutput(result).usage as IDataObject;
		expect(usage.input_tokens).toBeGreaterThan(0);
		expect(usage.output_tokens).toBeGreaterThan(0);
		expect(usage.total_tokens).toBe((usage.input_tokens as number) + (usage.output_tokens as number));

		const [call] = modelCalls(result);
		expect(call.tokenUsage).toEqual({
			promptTokens: usage.input_tokens,
			completionTokens: usage.output_tokens,
			totalTokens: usage.total_tokens,
		});
	});
});

describe('stream', () => {
	it('answers a streaming caller from one ordinary request: the answer as a chunk, then the usage', async () => {
		const result = await runModel(sim(), { mode: 'stream', prompt: 'Stream me' });

		expect(result.error).toBeUndefined();
		const output = probeOutput(result);
		expect(output.text).toBe('MoAI answer to: Stream me');
		expect((output.chunks as string[]).filter(Boolean)).toEqual(['MoAI answer to: Stream me']);
		expect((output.usage as IDataObject).total_tokens).toBeGreaterThan(0);
		expect(bodies()).toHaveLength(1);
		expect(bodies()[0].stream).toBeUndefined();
	});

	it('streams a tool call when the model asks for one, with tools bound', async () => {
		const result = await runModel(sim(), { mode: 'stream', prompt: 'Use calculator: 2 + 3', bindCalculator: true });

		expect(result.error).toBeUndefined();
		expect(probeOutput(result).toolCalls).toEqual([
			expect.objectContaining({ name: 'calculator', args: { input: '2 + 3' }, id: expect.stringMatching(/^call_/) }),
		]);
		expect(bodies()[0].tools).toHaveLength(1);
	});
});

describe('tools', () => {
	it('sends bound tools as OpenAI functions and runs the tool-call round trip', async () => {
		const result = await runModel(sim(), { mode: 'tools', prompt: 'Please use calculator: 12 * 7' });

		expect(result.error).toBeUndefined();
		const output = probeOutput(result);
		expect(output.calls).toEqual([
			expect.objectContaining({ name: 'calculator', args: { input: '12 * 7' }, result: '84' }),
		]);
		expect(output.text).toBe('MoAI answer from the tool result: 84');

		const [first, second] = bodies();
		expect(bodies()).toHaveLength(2);
		expect(first.tools).toEqual([
			{
				type: 'function',
				function: {
					name: 'calculator',
					description: calculatorTool.description,
					parameters: expect.objectContaining({
						type: 'object',
						properties: { input: expect.objectContaining({ type: 'string' }) },
						required: ['input'],
					}),
				},
			},
		]);
		const messages = second.messages as IDataObject[];
		const callId = (output.calls as IDataObject[])[0].id;
		expect(messages.slice(2)).toEqual([
			{
				role: 'assistant',
				content: null,
				tool_calls: [{ id: callId, type: 'function', function: { name: 'calculator', arguments: '{"input":"12 * 7"}' } }],
			},
			{ role: 'tool', tool_call_id: callId, content: '84' },
		]);
		expect(modelCalls(result)).toHaveLength(2);
	});

	it('gives a plain answer when the model does not call a tool (as a service that ignores tools would)', async () => {
		const result = await runModel(sim(), { mode: 'tools', prompt: 'Just say hello' });
		expect(probeOutput(result)).toMatchObject({ text: 'MoAI answer to: Just say hello', calls: [] });
		expect(bodies()[0].tools).toHaveLength(1);
	});
});

describe('errors read like Humiris Chat', () => {
	const cases: Array<[string, Parameters<typeof runModel>[1], RegExp, number]> = [
		['a wrong API key', { credentials: { apiKey: WRONG_KEY } }, /^Humiris rejected the API key \(401 Unauthorized\)\./, 1],
		['an unknown MixTuning ID', { credentials: { mixTuningId: 'no-such-mix' } }, /^Humiris does not know this MixTuning ID/, 1],
		// Refused before sending, as Humiris Chat refuses it: the same rule for both nodes.
		['a missing MixTuning ID', { credentials: { mixTuningId: '' } }, /^The MixTuning ID in the Humiris API credential is empty\./, 0],
		['a rejected request', { prompt: 'Hi [[sim:status=400]]' }, /^Humiris rejected the request as invalid/, 1],
		['a wrong Base URL path', { credentials: { baseUrl: 'BASE/wrong' } }, /^The chat completions endpoint was not found/, 1],
		['HTML instead of JSON', { prompt: 'Hi [[sim:html status=200]]' }, /instead of JSON/, 1],
		['an answer without choices', { prompt: 'Hi [[sim:empty-choices]]' }, /^Humiris answered without any completion/, 1],
		['server errors past the retries', { prompt: 'Hi [[sim:status=503]]', parameters: { options: { maxRetries: 1 } } }, /^Humiris had a temporary problem \(HTTP 503\)/, 2],
	];

	it.each(cases)('%s', async (_name, run, message, requests) => {
		const options = { ...run };
		if (options.credentials?.baseUrl === 'BASE/wrong') options.credentials = { baseUrl: `${sim().origin}/wrong/v1` };
		const result = await runModel(sim(), options);

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(message);
		expect(result.error?.message).not.toMatch(/langchain|at .*\.js|Error:/i);
		expect(sim().completions().length + sim().requests.filter((r) => r.path.includes('/wrong/')).length).toBe(requests);
	});

	it('a connection refused names the Base URL', async () => {
		const baseUrl = await closedBaseUrl();
		const result = await runModel(sim(), { credentials: { baseUrl }, parameters: { options: { maxRetries: 0 } } });
		expect(result.error?.message).toMatch(new RegExp(`^Could not reach Humiris at ${baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
	});

	it('a timeout says how long it waited', async () => {
		const result = await runModel(sim(), {
			prompt: 'Hi [[sim:hang]]',
			parameters: { options: { timeout: 1000, maxRetries: 0 } },
		});
		expect(result.error?.message).toMatch(/^Humiris did not answer within 1 s/);
	});

	it('the error keeps its details for the editor, and never the key', async () => {
		const result = await runModel(sim(), { credentials: { apiKey: WRONG_KEY } });
		expect(result.error?.httpCode).toBe('401');
		expect(result.error?.description).toMatch(/^HTTP 401\. Humiris said: /);
		expect(JSON.stringify(result.run)).not.toContain(WRONG_KEY);
	});
});

describe('retries', () => {
	it('waits what Retry-After asks, then succeeds, with no second retry layer on top', async () => {
		const started = Date.now();
		const result = await runModel(sim(), { prompt: 'Hi [[sim:status=429 retry-after=1 times=1]]' });

		expect(result.error).toBeUndefined();
		expect(sim().completions().map(({ status }) => status)).toEqual([429, 200]);
		const [first, second] = sim().completions();
		expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(950);
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
	});

	it('fails at once when Retry-After asks for longer than Max Rate Limit Wait', async () => {
		const result = await runModel(sim(), {
			prompt: 'Hi [[sim:status=429 retry-after=30]]',
			parameters: { options: { maxRateLimitWait: 1000 } },
		});
		expect(result.error?.message).toMatch(/it asks to wait 30 s more after 0 s of waiting and 1 rate-limit answer \(429\); the node's Max Rate Limit Wait allows 1 s/);
		expect(sim().completions()).toHaveLength(1);
	});

	it('sends a 401 once: not retried by the transport, nor by LangChain', async () => {
		await runModel(sim(), { credentials: { apiKey: WRONG_KEY }, parameters: { options: { maxRetries: 5 } } });
		expect(sim().completions()).toHaveLength(1);
	});
});

describe('cancellation', () => {
	it('stopping the execution aborts the model call in flight', async () => {
		sim().setLatency(5_000);
		const stop = new AbortController();
		const running = runModel(sim(), { signal: stop.signal });
		await waitFor(() => sim().inFlight === 1);
		const stoppedAt = Date.now();
		stop.abort();
		const result = await running;

		expect(Date.now() - stoppedAt).toBeLessThan(1_500);
		expect(result.status).toBe('canceled');
		await sim().whenIdle();
		expect(sim().completions()[0].status).toBeUndefined();
	});

	it("the caller's own abort signal (LangChain's) aborts the request", async () => {
		sim().setLatency(5_000);
		const result = await runModel(sim(), { mode: 'abort', abortAfterMs: 300 });

		const output = probeOutput(result);
		expect(output.aborted).toBe(true);
		expect(output.ms).toBeLessThan(1_500);
		expect(output.message).toMatch(/canceled|abort/i);
		await sim().whenIdle();
		expect(sim().completions()).toHaveLength(1);
		expect(sim().completions()[0].status).toBeUndefined();
	});
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await sleep(20);
	}
}

expectLeakScanCoverage(['output', 'error', 'log']);
