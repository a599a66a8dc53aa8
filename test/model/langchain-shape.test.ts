import type { IDataObject } from 'n8n-workflow';

import { useSimulator } from '../node/setup';
import { modelCalls, probeOutput, runModel } from './setup';

const sim = useSimulator();
const bodies = () => sim().completions().map(({ body }) => body as IDataObject);
const TWO_TOOLS = 'Please use calculator: 12 * 7 and order_lookup: ORD-20931';

describe('a text answer reaches LangChain as a string, as other chat models give it', () => {
	it('plain: content.toString() is the answer (what n8n\'s auto-fixing output parser reads)', async () => {
		const result = await runModel(sim(), { prompt: 'Fix this' });

		expect(result.error).toBeUndefined();
		expect(probeOutput(result)).toMatchObject({
			contentIsString: true,
			contentString: 'MoAI answer to: Fix this',
			text: 'MoAI answer to: Fix this',
		});
	});

	it('after bindTools (the Agent), when the model answers in text', async () => {
		const result = await runModel(sim(), { prompt: 'Just say hello', bindCalculator: true });

		expect(bodies()[0].tools).toHaveLength(1);
		expect(probeOutput(result)).toMatchObject({ contentIsString: true, contentString: 'MoAI answer to: Just say hello' });
	});

	it('after bindTools, a tool-calling answer has empty string content beside its tool calls', async () => {
		const result = await runModel(sim(), { prompt: 'Use calculator: 2 + 3', bindCalculator: true });

		expect(probeOutput(result)).toMatchObject({ contentIsString: true, contentString: '' });
		expect(probeOutput(result).toolCalls).toEqual([expect.objectContaining({ name: 'calculator', args: { input: '2 + 3' } })]);
	});

	it("n8n's log carries each generation's finish reason", async () => {
		const result = await runModel(sim(), { mode: 'tools', prompt: 'Please use calculator: 12 * 7' });

		const reasons = modelCalls(result).map(
			(call) => ((call.response as IDataObject).generations as IDataObject[][])[0][0].generationInfo,
		);
		expect(reasons).toEqual([{ finish_reason: 'tool_calls' }, { finish_reason: 'stop' }]);
	});
});

describe('several tool calls of one answer reach the caller in one turn', () => {
	it('generate: both calls, one round trip for them', async () => {
		sim().setReadPrompts(true);
		const result = await runModel(sim(), { mode: 'tools', prompt: TWO_TOOLS, bindOrderLookup: true });

		expect(result.error).toBeUndefined();
		const output = probeOutput(result);
		expect(output.calls).toEqual([
			expect.objectContaining({ name: 'calculator', args: { input: '12 * 7' }, result: '84', round: 1 }),
			expect.objectContaining({ name: 'order_lookup', args: { query: 'ORD-20931' }, result: 'Order ORD-20931 ships on Monday', round: 1 }),
		]);
		expect(bodies()).toHaveLength(2);
	});

	it('stream: each call whole, under its own index, in the same turn; then the text answer', async () => {
		sim().setReadPrompts(true);
		const result = await runModel(sim(), { mode: 'streamTools', prompt: TWO_TOOLS, bindOrderLookup: true });

		expect(result.error).toBeUndefined();
		const output = probeOutput(result);
		const calls = output.calls as IDataObject[];
		expect(calls).toEqual([
			expect.objectContaining({ name: 'calculator', args: { input: '12 * 7' }, result: '84', round: 1 }),
			expect.objectContaining({ name: 'order_lookup', args: { query: 'ORD-20931' }, result: 'Order ORD-20931 ships on Monday', round: 1 }),
		]);
		expect(new Set(calls.map((call) => call.id)).size).toBe(2);
		expect(output.rounds).toBe(2);
		expect(output.text).toBe('MoAI answer from the tool result: 84 | Order ORD-20931 ships on Monday');
		expect(output.content).toBe(output.text);

		// Two requests, the second answering both calls; none asks Humiris to stream.
		expect(bodies()).toHaveLength(2);
		expect(bodies().every((body) => body.stream === undefined)).toBe(true);
		const messages = bodies()[1].messages as IDataObject[];
		expect(messages.slice(-3).map((message) => message.role)).toEqual(['assistant', 'tool', 'tool']);
		expect((messages.at(-3)?.tool_calls as IDataObject[]).map((call) => (call.function as IDataObject).name)).toEqual([
			'calculator',
			'order_lookup',
		]);
	});

	it('stream: a text answer streams as one piece, its content a string', async () => {
		const result = await runModel(sim(), { mode: 'stream', prompt: 'Stream me', bindCalculator: true });

		expect(probeOutput(result)).toMatchObject({ content: 'MoAI answer to: Stream me', toolCalls: [] });
		expect((probeOutput(result).chunks as string[]).filter(Boolean)).toEqual(['MoAI answer to: Stream me']);
	});
});
