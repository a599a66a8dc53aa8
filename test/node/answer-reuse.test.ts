import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { keptAnswerLimits, keptAnswers } from '../../nodes/HumirisChat/helpers/answer-store';
import '../governor/fresh-governors';
import { expectLeakScanCoverage, outputJson, runChat, useSimulator } from './setup';

const simulator = useSimulator();

const promptRun = (options: INodeParameters) => ({ messageMode: 'prompt', promptType: 'define', prompt: '={{ $json.text }}', options });
const asked = (...texts: string[]) => texts.map((text) => ({ text }));
const sentTexts = () =>
	simulator()
		.completions()
		.map((request) => ((request.body as IDataObject).messages as IDataObject[]).at(-1)?.content);
const ZERO = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };

let now = 5_000_000;
beforeEach(() => {
	keptAnswers.clear();
	now = 5_000_000;
	jest.spyOn(keptAnswerLimits, 'now').mockImplementation(() => now);
});
afterEach(() => jest.restoreAllMocks());

describe('Reuse Identical Answers: within this run', () => {
	it('sends identical requests once; the others carry the answer, reused: true and usage 0', async () => {
		const result = await runChat(simulator(), {
			items: asked('Reset my password', 'Refund please', 'Reset my password', 'Reset my password', 'Refund please'),
			parameters: promptRun({ concurrency: 1, reuseAnswers: 'withinRun' }),
		});

		expect(sentTexts()).toEqual(['Reset my password', 'Refund please']);
		const output = outputJson(result);
		expect(output.map((item) => item.reused)).toEqual([undefined, undefined, true, true, true]);
		expect(output[2]).toEqual({ ...output[0], reused: true, usage: ZERO });
		expect((output[0].usage as IDataObject).totalTokens).toBeGreaterThan(0);
		const saved = 2 * ((output[0].usage as IDataObject).totalTokens as number) + ((output[1].usage as IDataObject).totalTokens as number);
		expect(result.hints.at(-1)?.message).toContain(`3 answers reused, about ${saved} tokens saved`);
		expect(keptAnswers.size).toBe(0);
	});

	it('lets identical requests in flight wait for the first one instead of sending their own', async () => {
		const result = await runChat(simulator(), {
			items: asked(...Array(6).fill('Where is my parcel? [[sim:latency ms=100]]')),
			parameters: promptRun({ concurrency: 6, reuseAnswers: 'withinRun' }),
		});

		expect(simulator().completions()).toHaveLength(1);
		expect(outputJson(result).filter((item) => item.reused === true)).toHaveLength(5);
	});

	it('shares nothing between requests that differ in any body field', async () => {
		await runChat(simulator(), {
			items: [
				{ text: 'Same words', t: 0 },
				{ text: 'Same words', t: 0.5 },
				{ text: 'Same words', t: 0 },
			],
			parameters: promptRun({ concurrency: 1, reuseAnswers: 'withinRun', temperature: '={{ $json.t }}' }),
		});

		expect(sentTexts()).toEqual(['Same words', 'Same words']);
	});

	it('does not reuse a failure: the next identical item sends its own request', async () => {
		const result = await runChat(simulator(), {
			items: asked('Flaky [[sim:status=503 times=1]]', 'Flaky [[sim:status=503 times=1]]', 'Flaky [[sim:status=503 times=1]]'),
			parameters: promptRun({ concurrency: 1, reuseAnswers: 'withinRun', maxRetries: 0 }),
			continueOnFail: true,
		});

		expect(simulator().completions()).toHaveLength(2);
		const output = outputJson(result);
		expect((output[0].error as IDataObject).status).toBe(503);
		expect(output[1]).toMatchObject({ content: 'MoAI answer to: Flaky' });
		expect(output[1].reused).toBeUndefined();
		expect(output[2]).toMatchObject({ content: 'MoAI answer to: Flaky', reused: true });
	});

	it('when the request waited for fails, the first waiter sends its own and the others wait for that one', async () => {
		const result = await runChat(simulator(), {
			items: asked(...Array(4).fill('Flaky [[sim:latency ms=50]] [[sim:status=503 times=1]]')),
			parameters: promptRun({ concurrency: 4, reuseAnswers: 'withinRun', maxRetries: 0 }),
			continueOnFail: true,
		});

		expect(simulator().completions()).toHaveLength(2);
		const output = outputJson(result);
		expect((output[0].error as IDataObject).status).toBe(503);
		expect(output.slice(1).map((item) => item.reused)).toEqual([undefined, true, true]);
	});

	it('after a credential failure, the waiters fail without sending', async () => {
		const result = await runChat(simulator(), {
			items: asked(...Array(4).fill('Hello [[sim:latency ms=50]]')),
			parameters: promptRun({ concurrency: 4, reuseAnswers: 'withinRun' }),
			credentials: { apiKey: 'wrong-key' },
			continueOnFail: true,
		});

		expect(simulator().completions()).toHaveLength(1);
		expect(outputJson(result).map((item) => (item.error as IDataObject).code)).toEqual(Array(4).fill('UNAUTHORIZED'));
	});

	describe('with a JSON Schema', () => {
		const schema = JSON.stringify({
			type: 'object',
			properties: { category: { type: 'string', enum: ['billing', 'technical', 'account', 'general'] } },
			required: ['category'],
		});
		const schemaRun = promptRun({ concurrency: 1, reuseAnswers: 'withinRun', responseFormat: 'json_schema', jsonSchema: schema, schemaRetries: 0 });

		it('reuses an answer that fitted, with attempts 0', async () => {
			const result = await runChat(simulator(), { items: asked('Charged twice', 'Charged twice'), parameters: schemaRun });

			expect(simulator().completions()).toHaveLength(1);
			expect(outputJson(result)[1]).toMatchObject({ content: { category: 'billing' }, reused: true, attempts: 0, usage: ZERO });
		});

		it('does not reuse an answer that did not fit the schema', async () => {
			// Cut at the token limit the first time only, so the reply is not JSON that fits.
			const text = 'Charged twice [[sim:length times=1]]';
			const result = await runChat(simulator(), { items: asked(text, text), parameters: schemaRun, continueOnFail: true });

			expect(simulator().completions()).toHaveLength(2);
			const output = outputJson(result);
			expect((output[0].error as IDataObject).code).toBe('JSON_REPLY_TRUNCATED');
			expect(output[1]).toMatchObject({ content: { category: 'billing' }, attempts: 1 });
			expect(output[1].reused).toBeUndefined();
		});
	});
});

describe('Reuse Identical Answers: for a number of minutes', () => {
	const minutesRun = (reuseMinutes: number, concurrency = 1) => promptRun({ concurrency, reuseAnswers: 'minutes', reuseMinutes });

	it('reuses an answer in later executions until it is older than Reuse For (Minutes)', async () => {
		const ask = async (minutes: number) =>
			outputJson(await runChat(simulator(), { items: asked('Opening hours?'), parameters: minutesRun(minutes) }))[0].reused === true;
		expect(await ask(5)).toBe(false);
		now += 5 * 60_000 - 1;
		expect(await ask(5)).toBe(true);
		// A run that wants fresher answers does not take it; it asks again and keeps the new answer.
		expect(await ask(3)).toBe(false);
		now += 3 * 60_000 - 1;
		expect(await ask(3)).toBe(true);
		now += 1;
		expect(await ask(3)).toBe(false);
		expect(simulator().completions()).toHaveLength(3);
	});

	it('keeps nothing when off or within a run', async () => {
		await runChat(simulator(), { items: asked('Kept?'), parameters: promptRun({}) });
		await runChat(simulator(), { items: asked('Kept?'), parameters: promptRun({ reuseAnswers: 'withinRun' }) });
		expect(keptAnswers.size).toBe(0);
		await runChat(simulator(), { items: asked('Kept?'), parameters: minutesRun(5) });
		expect(simulator().completions()).toHaveLength(3);
		expect(keptAnswers.size).toBe(1);
	});

	it('does not share answers between API keys, and never holds the key', async () => {
		await runChat(simulator(), { items: asked('Whose answer?'), parameters: minutesRun(5) });
		const other = await runChat(simulator(), {
			items: asked('Whose answer?'),
			parameters: minutesRun(5),
			credentials: { apiKey: 'another-key' },
			continueOnFail: true,
		});
		expect((outputJson(other)[0].error as IDataObject).code).toBe('UNAUTHORIZED');
		expect(simulator().completions()).toHaveLength(2);
		expect(JSON.stringify([...(keptAnswers as unknown as { kept: Map<string, unknown> }).kept])).not.toContain(simulator().apiKey);
	});

	it('holds at most its size bound in bytes, dropping the least recently used answer first', async () => {
		await runChat(simulator(), { items: asked('Question AAA'), parameters: minutesRun(60) });
		const entry = keptAnswers.bytes;
		jest.replaceProperty(keptAnswerLimits, 'maxBytes', Math.floor(entry * 2.5));
		keptAnswers.clear();
		simulator().reset();

		await runChat(simulator(), { items: asked('Question AAA', 'Question BBB', 'Question CCC'), parameters: minutesRun(60) });
		expect(keptAnswers.size).toBe(2);
		expect(keptAnswers.bytes).toBeLessThanOrEqual(keptAnswerLimits.maxBytes);
		// BBB is used again, so CCC becomes the least recently used and makes room for DDD.
		await runChat(simulator(), { items: asked('Question BBB', 'Question DDD'), parameters: minutesRun(60) });
		const last = await runChat(simulator(), {
			items: asked('Question BBB', 'Question DDD', 'Question CCC', 'Question AAA'),
			parameters: minutesRun(60),
		});
		expect(outputJson(last).map((item) => item.reused === true)).toEqual([true, true, false, false]);
	});

	it('reads Reuse For (Minutes) only when the answers are kept for minutes', async () => {
		const off = await runChat(simulator(), { items: asked('Hi'), parameters: promptRun({ reuseAnswers: 'off', reuseMinutes: 0 }) });
		expect(off.status).toBe('success');
		const minutes = await runChat(simulator(), { items: asked('Hi'), parameters: minutesRun(0) });
		expect(minutes.error?.message).toBe(
			'The "Reuse For (Minutes)" option must be a whole number of minutes from 1 to 1,440, but it is 0. Correct it under the node\'s Options, or remove the option.',
		);
		expect(simulator().completions()).toHaveLength(1);
	});
});

expectLeakScanCoverage(['output', 'error']);
