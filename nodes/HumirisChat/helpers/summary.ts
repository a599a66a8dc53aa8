import type { NodeExecutionHint } from 'n8n-workflow';

import type { ChatCompletion } from '../../shared/api-types';
import { emptyStats, type RequestStats } from '../../shared/transport/retry';

/** What one run did, for the summary under the node's output. */
export interface RunStats extends RequestStats {
	promptTokens: number;
	completionTokens: number;
	totalTokens: number;
	/** Images From Binary: images attached to the requests sent, each counted once per item. */
	imagesSent: number;
	/** Items that got an identical request's answer instead of sending their own. */
	reused: number;
	/** What those answers cost the first time: an estimate of what reusing them saved. */
	tokensSaved: number;
}

/** What the cost options were, for the summary to set the figures against. */
export interface CostSettings {
	tokenBudget: number;
	reuse: { mode: string };
}

export function emptyRunStats(): RunStats {
	return { ...emptyStats(), promptTokens: 0, completionTokens: 0, totalTokens: 0, imagesSent: 0, reused: 0, tokensSaved: 0 };
}

export function countUsage(stats: RunStats, completion: ChatCompletion): void {
	const usage = completion.usage ?? {};
	const prompt = usage.prompt_tokens ?? 0;
	const answer = usage.completion_tokens ?? 0;
	stats.promptTokens += prompt;
	stats.completionTokens += answer;
	stats.totalTokens += usage.total_tokens ?? prompt + answer;
}

const plural = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;

const SCHEMA_FALLBACK =
	'Humiris refused response_format "json_schema" (an HTTP 400 or 422 naming response_format or json_schema), so the rest of this run asked for the JSON Schema through the system message alone. Every answer was still checked against the schema.';

function costParts(stats: RunStats, cost: CostSettings): string[] {
	const parts: string[] = [];
	if (cost.tokenBudget > 0) {
		parts.push(`token budget ${cost.tokenBudget.toLocaleString('en-US')}, used ${stats.totalTokens.toLocaleString('en-US')}`);
	}
	if (cost.reuse.mode !== 'off') {
		parts.push(`${plural(stats.reused, 'answer')} reused, about ${plural(stats.tokensSaved, 'token')} saved`);
	}
	return parts;
}

/** One line an operator reads after every run: what was answered, what it cost, how hard the API pushed back. */
export function summaryHint(
	answered: number,
	failed: number,
	stats: RunStats,
	schemaFallback = false,
	cost: CostSettings = { tokenBudget: 0, reuse: { mode: 'off' } },
): NodeExecutionHint {
	const waited = Math.round(stats.rateLimitWaitMs / 100) / 10;
	const parts = [
		`${answered.toLocaleString('en-US')} answered, ${failed.toLocaleString('en-US')} failed`,
		`tokens: ${stats.promptTokens.toLocaleString('en-US')} prompt + ${stats.completionTokens.toLocaleString('en-US')} completion = ${stats.totalTokens.toLocaleString('en-US')}`,
		`${plural(stats.sent, 'request')} sent, ${plural(stats.retries, 'retry', 'retries')}, ${plural(stats.rateLimited, 'rate-limit answer')} (429)`,
		`${waited} s waiting for the rate limit (summed over items)`,
		// Only runs that send images say so: a text run's summary stays as it was.
		...(stats.imagesSent > 0 ? [`${plural(stats.imagesSent, 'image')} sent`] : []),
		...costParts(stats, cost),
	];
	const message = `Run summary: ${parts.join('; ')}.${schemaFallback ? ` ${SCHEMA_FALLBACK}` : ''}`;
	return { message, type: failed > 0 ? 'warning' : 'info', location: 'outputPane' };
}
