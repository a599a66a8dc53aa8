import type { IDataObject } from 'n8n-workflow';

import { runNode, type NodeRun } from './node-run';
import type { Target } from './report';
import type { RemoteSimulator } from './simulator-client';

export interface CostConfig {
	reuse: { items: number; distinct: number; concurrency: number; latencyMs: number };
	budget: { items: number; concurrency: number; latencyMs: number; requestsWithin: number };
}

export function costConfig(quick: boolean): CostConfig {
	return {
		reuse: { items: quick ? 200 : 1000, distinct: quick ? 20 : 100, concurrency: 10, latencyMs: 100 },
		budget: { items: quick ? 200 : 1000, concurrency: 10, latencyMs: 20, requestsWithin: quick ? 20 : 100 },
	};
}

export interface ReuseResult {
	items: number;
	distinct: number;
	concurrency: number;
	latencyMs: number;
	off: { requests: number; nodeMs: number };
	withinRun: { requests: number; nodeMs: number; reused: number; answered: number };
}

export interface BudgetResult {
	items: number;
	concurrency: number;
	tokensPerRequest: number;
	budget: number;
	/** Requests it takes to reach the budget: the last one may start, none after it. */
	requestsToReach: number;
	requests: number;
	answered: number;
	refused: number;
	tokensUsed: number;
	requestsPastBudget: number;
}

export interface CostResult {
	reuse: ReuseResult;
	budget: BudgetResult;
}

const output = (run: NodeRun) => (run.result.items[0] ?? []).map(({ json }) => json);
const answered = (run: NodeRun) => output(run).filter((json) => typeof json.content === 'string').length;

/** `distinct` prompts, each asked items ÷ distinct times, spread through the run as a sheet would have them. */
function repeatedPrompts(items: number, distinct: number): IDataObject[] {
	return Array.from({ length: items }, (_, index) => ({ prompt: `Summarise ticket #${index % distinct} for the support team.` }));
}

async function measureReuse(simulator: RemoteSimulator, config: CostConfig['reuse']): Promise<ReuseResult> {
	const items = repeatedPrompts(config.items, config.distinct);
	await simulator.prepare({ latencyMs: config.latencyMs });
	const off = await runNode(simulator, items, { concurrency: config.concurrency });
	const offRequests = (await simulator.stats()).completions;
	await simulator.prepare({ latencyMs: config.latencyMs });
	const on = await runNode(simulator, items, { concurrency: config.concurrency, reuseAnswers: 'withinRun' });
	const onRequests = (await simulator.stats()).completions;
	if (answered(off) !== config.items || answered(on) !== config.items) {
		throw new Error(`reuse: ${answered(off)} and ${answered(on)} of ${config.items} items answered`);
	}
	return {
		...config,
		off: { requests: offRequests, nodeMs: off.executionMs },
		withinRun: {
			requests: onRequests,
			nodeMs: on.executionMs,
			reused: output(on).filter((json) => json.reused === true).length,
			answered: answered(on),
		},
	};
}

async function measureBudget(simulator: RemoteSimulator, config: CostConfig['budget']): Promise<BudgetResult> {
	const items = Array.from({ length: config.items }, (_, index) => ({ prompt: `Summarise ticket #${index} for the support team.` }));
	await simulator.prepare({ latencyMs: 0 });
	const probe = await runNode(simulator, items.slice(0, 1), { concurrency: 1 });
	const tokensPerRequest = Number((output(probe)[0].usage as IDataObject).totalTokens);
	// One token short of `requestsWithin` answers: the budget is reached by the answer that completes them.
	const budget = tokensPerRequest * config.requestsWithin - 1;
	await simulator.prepare({ latencyMs: config.latencyMs });
	const run = await runNode(simulator, items, { concurrency: config.concurrency, tokenBudget: budget });
	const requests = (await simulator.stats()).completions;
	const refused = output(run).filter((json) => (json.error as IDataObject | undefined)?.code === 'BUDGET_EXCEEDED').length;
	return {
		items: config.items,
		concurrency: config.concurrency,
		tokensPerRequest,
		budget,
		requestsToReach: config.requestsWithin,
		requests,
		answered: answered(run),
		refused,
		tokensUsed: requests * tokensPerRequest,
		requestsPastBudget: requests - config.requestsWithin,
	};
}

export async function measureCost(simulator: RemoteSimulator, config: CostConfig): Promise<CostResult> {
	return { reuse: await measureReuse(simulator, config.reuse), budget: await measureBudget(simulator, config.budget) };
}

export function costTargets({ reuse, budget }: CostResult): Target[] {
	return [
		{
			name: 'reuse within a run: requests sent',
			value: `${reuse.withinRun.requests} for ${reuse.items} items`,
			target: `${reuse.distinct} (one per distinct prompt)`,
			pass: reuse.withinRun.requests === reuse.distinct && reuse.withinRun.answered === reuse.items,
		},
		{
			name: 'token budget: requests past the budget',
			value: String(budget.requestsPastBudget),
			target: `0 to ${budget.concurrency} (Concurrency), every other item BUDGET_EXCEEDED`,
			pass:
				budget.requestsPastBudget >= 0 &&
				budget.requestsPastBudget <= budget.concurrency &&
				budget.answered + budget.refused === budget.items,
		},
	];
}

export function formatCost({ reuse, budget }: CostResult): string[] {
	const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
	return [
		`7. Cost options (node ms = executionTime)`,
		`  Reuse Identical Answers, N=${reuse.items} with ${reuse.distinct} distinct prompts, C=${reuse.concurrency}, L=${reuse.latencyMs} ms:`,
		`    off ${reuse.off.requests} requests, ${seconds(reuse.off.nodeMs)}   within run ${reuse.withinRun.requests} requests, ${seconds(reuse.withinRun.nodeMs)} (${reuse.withinRun.reused} reused; ${(reuse.off.nodeMs / reuse.withinRun.nodeMs).toFixed(1)}x faster)`,
		`  Token Budget ${budget.budget} (${budget.tokensPerRequest} tokens a request: reached by request ${budget.requestsToReach}), N=${budget.items}, C=${budget.concurrency}:`,
		`    ${budget.requests} requests sent (${budget.requestsPastBudget} past the one that reached it), ${budget.tokensUsed} tokens used, ${budget.answered} answered, ${budget.refused} BUDGET_EXCEEDED`,
	];
}
