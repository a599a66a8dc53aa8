import type { IDataObject, INodeParameters } from 'n8n-workflow';

import '../governor/fresh-governors';
import { expectLeakScanCoverage, outputJson, runChat, useSimulator } from './setup';

const simulator = useSimulator();

const promptRun = (options: INodeParameters) => ({ messageMode: 'prompt', promptType: 'define', prompt: '={{ $json.text }}', options });

const usageOf = (item: IDataObject) => (item.usage as IDataObject).totalTokens as number;
const errorOf = (item: IDataObject) => item.error as IDataObject;
const tickets = (count: number, from = 0) => Array.from({ length: count }, (_, index) => ({ text: `Ticket number ${from + index}` }));

describe('Token Budget', () => {
	it('lets the requests in flight finish and keep their answers, and fails every item not yet sent, in input order', async () => {
		// Item 1 is slow: it is still in flight when item 0's answer spends the budget.
		const items = [{ text: 'Ticket number 0' }, { text: 'Ticket number 1 [[sim:latency ms=300]]' }, ...tickets(4, 2)];
		const result = await runChat(simulator(), {
			items,
			parameters: promptRun({ concurrency: 2, tokenBudget: 1 }),
			continueOnFail: true,
		});

		expect(simulator().completions()).toHaveLength(2);
		const output = outputJson(result);
		expect(output).toHaveLength(6);
		expect(output.slice(0, 2).map((item) => item.content)).toEqual([
			'MoAI answer to: Ticket number 0',
			'MoAI answer to: Ticket number 1',
		]);
		const used = usageOf(output[0]) + usageOf(output[1]);
		expect(output.slice(2).map((item) => errorOf(item).code)).toEqual(Array(4).fill('BUDGET_EXCEEDED'));
		expect(errorOf(output[2])).toMatchObject({
			message: `The Token Budget of 1 tokens was reached: Humiris reported ${used} tokens for this run (prompt and completion, every attempt) and 2 of 6 items were answered, so this item was not sent. Raise the Token Budget option, or split the run into smaller ones (for example with a Loop Over Items node before this node).`,
			attempts: 0,
			retryable: false,
		});
		expect((result.items[0] ?? []).map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		expect(result.hints.at(-1)?.message).toContain(`token budget 1, used ${used}`);
	});

	it('without continue on fail, fails the run with the budget message', async () => {
		const result = await runChat(simulator(), { items: tickets(5), parameters: promptRun({ concurrency: 1, tokenBudget: 1 }) });

		expect(simulator().completions()).toHaveLength(1);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^The Token Budget of 1 tokens was reached: Humiris reported \d+ tokens for this run .* and 1 of 5 items were answered, so this item was not sent\. Raise the Token Budget option, or split the run/);
		expect(result.error).toMatchObject({ itemIndex: 1 });
	});

	it('stops a run within Concurrency requests of the budget', async () => {
		const perRequest = await (async () => {
			const probe = await runChat(simulator(), { items: tickets(1, 10) });
			return usageOf(outputJson(probe)[0]);
		})();
		simulator().reset();
		const budget = perRequest * 10 + 1;
		const result = await runChat(simulator(), {
			items: tickets(60, 10),
			parameters: promptRun({ concurrency: 4, tokenBudget: budget }),
			continueOnFail: true,
		});

		const sent = simulator().completions().length;
		// Ten answers do not reach the budget, the eleventh does; up to three more were already in flight.
		expect(sent).toBeGreaterThanOrEqual(11);
		expect(sent).toBeLessThanOrEqual(11 + 3);
		const output = outputJson(result);
		expect(output.slice(0, sent).every((item) => typeof item.content === 'string')).toBe(true);
		expect(output.slice(sent).every((item) => errorOf(item).code === 'BUDGET_EXCEEDED')).toBe(true);
		expect(output).toHaveLength(60);
	});

	describe('counts JSON Schema fix-ups', () => {
		const schema = JSON.stringify({
			type: 'object',
			properties: { category: { type: 'string', enum: ['billing', 'technical', 'account', 'general'] } },
			required: ['category'],
		});
		const schemaRun = (tokenBudget: number) => promptRun({ concurrency: 1, tokenBudget, responseFormat: 'json_schema', jsonSchema: schema });

		it('refuses the re-ask once the first attempt spent the budget', async () => {
			const result = await runChat(simulator(), {
				items: [{ text: 'Refund me [[sim:schema-miss rule=enum]]' }, { text: 'Another ticket' }],
				parameters: schemaRun(1),
				continueOnFail: true,
			});

			expect(simulator().completions()).toHaveLength(1);
			expect(outputJson(result).map((item) => errorOf(item).code)).toEqual(['BUDGET_EXCEEDED', 'BUDGET_EXCEEDED']);
			expect(errorOf(outputJson(result)[0]).message).toContain('and 0 of 2 items were answered');
		});

		it("adds the re-ask's tokens to what the run used", async () => {
			const probe = await runChat(simulator(), {
				items: [{ text: 'Refund me [[sim:schema-miss rule=enum]]' }],
				parameters: schemaRun(0),
			});
			expect(simulator().completions()).toHaveLength(2);
			const both = usageOf(outputJson(probe)[0]);
			simulator().reset();

			// Enough for the first attempt but not for both: the item's two requests spend it.
			const result = await runChat(simulator(), {
				items: [{ text: 'Refund me [[sim:schema-miss rule=enum]]' }, { text: 'Another ticket' }],
				parameters: schemaRun(both),
				continueOnFail: true,
			});
			expect(simulator().completions()).toHaveLength(2);
			const output = outputJson(result);
			expect(output[0]).toMatchObject({ attempts: 2, content: { category: 'billing' } });
			expect(errorOf(output[1])).toMatchObject({ code: 'BUDGET_EXCEEDED' });
			expect(errorOf(output[1]).message).toContain(`Humiris reported ${both} tokens`);
		});
	});

	it('never refuses a reused answer', async () => {
		const result = await runChat(simulator(), {
			items: [{ text: 'Same question' }, { text: 'Same question' }, { text: 'Other question' }],
			parameters: promptRun({ concurrency: 1, tokenBudget: 1, reuseAnswers: 'withinRun' }),
			continueOnFail: true,
		});

		expect(simulator().completions()).toHaveLength(1);
		const output = outputJson(result);
		expect(output[1]).toMatchObject({ content: 'MoAI answer to: Same question', reused: true });
		expect(errorOf(output[2]).code).toBe('BUDGET_EXCEEDED');
	});

	it('refuses a Token Budget that is not a whole number before sending anything', async () => {
		const result = await runChat(simulator(), { parameters: promptRun({ tokenBudget: 1.5 }), items: tickets(1) });

		expect(simulator().completions()).toHaveLength(0);
		expect(result.error?.message).toBe(
			'The "Token Budget" option must be a whole number of tokens from 0 to 1,000,000,000,000, but it is 1.5. Correct it under the node\'s Options, or remove the option.',
		);
	});
});

expectLeakScanCoverage(['output', 'error']);
