import { createHash } from 'crypto';

import type { CompletionRequest } from '../../shared/transport/request';
import type { ItemAnswer } from './item-answer';
import { AnswerStore, keptAnswers, KEPT_ANSWER_BYTES } from './answer-store';
import type { ReusePolicy } from './run-settings';

/** JSON with every object's keys sorted: the same body written in another order is the same request. */
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, field]) => field !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonical(field)}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/**
 * What makes two requests identical: where they go, whose key pays (hashed with the rest, so
 * the key itself is never held), which MixTuning configuration answers, and the whole body.
 */
export function requestKey(request: CompletionRequest): string {
	const { credentials } = request;
	return createHash('sha256')
		.update(canonical([request.baseUrl, String(credentials.apiKey ?? ''), String(credentials.mixTuningId ?? ''), request.body]))
		.digest('hex');
}

/** The first answer's cost: what reusing it saved, as an estimate. */
export function tokensOf(answer: ItemAnswer): number {
	if (answer.fitted) return answer.fitted.usage.totalTokens ?? 0;
	const usage = answer.completion.usage ?? {};
	return usage.total_tokens ?? (usage.prompt_tokens ?? 0) + (usage.completion_tokens ?? 0);
}

/** The shared answer as this item's: nothing was sent for it, so nothing was billed. */
function asReused(answer: ItemAnswer): ItemAnswer {
	const zero = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
	const completion = { ...answer.completion, usage: zero };
	if (!answer.fitted) return { completion };
	return { completion, fitted: { ...answer.fitted, attempts: 0, usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 } } };
}

/** Either an answer to reuse (and what it saved), or the go-ahead to send, with what to call once done. */
export type Claim =
	| { reused: ItemAnswer; savedTokens: number }
	| { reused?: undefined; done(answer: ItemAnswer | undefined): void };

const NOTHING_TO_SHARE: Claim = { done: () => {} };

/** Resolves when `signal` aborts, so a wait for another request's answer ends with the execution. */
async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | 'aborted'> {
	if (signal.aborted) return 'aborted';
	let onAbort = () => {};
	const aborted = new Promise<'aborted'>((resolve) => {
		onAbort = () => resolve('aborted');
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		return await Promise.race([promise, aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}

/**
 * Identical requests answered once, for one run. Within a run the answers live in a store of
 * the run's own; with "minutes" in the process-wide one, shared with other executions.
 */
export class AnswerReuse {
	private readonly store: AnswerStore | undefined;
	private readonly maxAgeMs: number;

	constructor(policy: ReusePolicy, now: () => number = () => Date.now()) {
		this.maxAgeMs = policy.mode === 'minutes' ? policy.maxAgeMs : Infinity;
		this.store =
			policy.mode === 'minutes'
				? keptAnswers
				: policy.mode === 'withinRun'
					? new AnswerStore({ maxBytes: KEPT_ANSWER_BYTES, now })
					: undefined;
	}

	/**
	 * A kept answer, or the answer of an identical request in flight once it arrives. If that
	 * request fails, the waiters do not share its failure: the first of them sends its own
	 * (the failure may have been a passing one) and the others wait for that one in turn.
	 * Returns 'aborted' when the run was stopped while waiting.
	 */
	async claim(request: CompletionRequest, signal: AbortSignal): Promise<Claim | 'aborted'> {
		const store = this.store;
		if (!store) return NOTHING_TO_SHARE;
		const key = requestKey(request);
		for (;;) {
			const kept = store.get(key, this.maxAgeMs);
			if (kept !== undefined) return this.reuse(kept);
			const pending = store.pending(key);
			if (!pending) {
				const settle = store.lead(key);
				return {
					done: (answer) => {
						const text = answer === undefined ? undefined : JSON.stringify(answer);
						if (text !== undefined) store.put(key, text, this.maxAgeMs);
						settle(text);
					},
				};
			}
			const shared = await untilAborted(pending, signal);
			if (shared === 'aborted') return shared;
			// Handed over even when too large to keep, so the waiters still get it.
			if (shared !== undefined) return this.reuse(shared);
		}
	}

	private reuse(text: string): Claim {
		const answer = JSON.parse(text) as ItemAnswer;
		return { reused: asReused(answer), savedTokens: tokensOf(answer) };
	}
}
