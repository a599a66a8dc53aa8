import { sleep } from 'n8n-workflow';

import { rateLimitAdvice } from '../user-messages';
import { failureFromCancel, HumirisRequestError, tooLongToWait, type HumirisFailure } from './errors';
import type { RequestGovernor } from './governor';

export interface RetryPolicy {
	/** Retries after the first attempt; 0 sends each request once. */
	maxRetries: number;
	/** The longest single wait we accept; a longer Retry-After fails the item instead of stalling the run. */
	maxWaitMs: number;
	/** Whether to resend a request Humiris may already have processed (and billed): a timeout, a dropped connection. */
	retryUnconfirmed?: boolean;
	/**
	 * How long one request may wait for the rate limit in all (the credential's limits, a
	 * Retry-After, the learned window) before it fails; 429s do not use up maxRetries.
	 */
	maxRateLimitWaitMs: number;
}

/** What a run's requests did, summed by every withRetries that is handed it. */
export interface RequestStats {
	sent: number;
	retries: number;
	rateLimited: number;
	rateLimitWaitMs: number;
}

export function emptyStats(): RequestStats {
	return { sent: 0, retries: 0, rateLimited: 0, rateLimitWaitMs: 0 };
}

/** The official OpenAI SDKs' schedule: 0.5 s doubling up to 8 s, each wait jittered down by up to a quarter. */
const INITIAL_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8_000;

export function backoffMs(retry: number, random: () => number = Math.random): number {
	const ceiling = Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** (retry - 1));
	return Math.round(ceiling * (1 - 0.25 * random()));
}

/** Resolves after `ms`, or as soon as the execution is cancelled. */
export async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
	if (ms <= 0 || signal?.aborted) return;
	if (!signal) return await sleep(ms);
	await new Promise<void>((resolve) => {
		const done = () => {
			signal.removeEventListener('abort', done);
			resolve();
		};
		signal.addEventListener('abort', done, { once: true });
		// n8n 1.x's sleep ignores the signal, so the abort listener above is what ends the wait early.
		void sleep(ms, signal).then(done, done);
	});
}

/** A promise's outcome as a value, so callers branch on it instead of catching and rethrowing. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
	return await promise.then(
		(value): Settled<T> => ({ ok: true, value }),
		(error: unknown): Settled<T> => ({ ok: false, error }),
	);
}

/**
 * Whether the policy sends this failed attempt again; false once retries are used up. A 429
 * is always sent again (it goes back to the queue) until its wait bound turns it final.
 */
export function wouldRetry(failure: HumirisFailure, policy: RetryPolicy): boolean {
	if (failure.status === 429) return failure.retryable;
	const mayPayTwice = failure.mayHaveBeenProcessed === true && policy.retryUnconfirmed !== true;
	const retriesUsed = (failure.attempts ?? 1) - 1 - (failure.rateLimited ?? 0);
	return failure.retryable && !mayPayTwice && retriesUsed < policy.maxRetries;
}

export interface RetryContext {
	policy: RetryPolicy;
	/** The credential's governor: every request of that credential in this process waits its turn there. */
	governor: RequestGovernor;
	/** Aborted when the execution is stopped, or when the caller has no use for the answer any more. */
	signal: AbortSignal | undefined;
	stats?: RequestStats;
	random?: () => number;
}

/** The final failure of a request rate limiting kept out: its last 429 if it got one, with the advice. */
function rateLimitedFor(
	failure: HumirisFailure | undefined,
	attempts: number,
	figures: Parameters<typeof rateLimitAdvice>[0],
): HumirisFailure {
	const limited = failure?.status === 429 ? failure : undefined;
	return {
		description: 'No request for this item was answered 429: it waited for the requests before it.',
		...limited,
		code: 'RATE_LIMITED',
		status: limited ? 429 : null,
		attempts,
		rateLimited: figures.rateLimited,
		retryable: false,
		message: rateLimitAdvice(figures),
	};
}

/**
 * Sends one request until it succeeds, fails for good, or runs out of retries. Only
 * failures the API calls temporary are retried; a 429 was not processed, so it goes back
 * to the governor's queue (ahead of later arrivals) without using up a retry, until it has
 * waited longer than maxRateLimitWaitMs. The last failure carries the number of requests
 * sent and of 429s among them, so an error item can say how hard we tried.
 */
export async function withRetries<T>(send: () => Promise<T>, context: RetryContext): Promise<T> {
	const { policy, governor, signal } = context;
	const stats = context.stats ?? emptyStats();
	const ticket = governor.ticket();
	const bound = policy.maxRateLimitWaitMs;
	let last: HumirisFailure | undefined;
	let attempts = 0;
	let rateLimited = 0;
	let waitedMs = 0;
	for (;;) {
		const admission = await governor.acquire(ticket, bound - waitedMs, signal);
		waitedMs += admission.waitedMs;
		stats.rateLimitWaitMs += admission.waitedMs;
		if (!admission.granted) {
			if (admission.reason === 'cancelled' || signal?.aborted) throw new HumirisRequestError(last ?? failureFromCancel());
			throw new HumirisRequestError(rateLimitedFor(last, attempts, { waitedMs, rateLimited, boundMs: bound }));
		}
		attempts++;
		stats.sent++;
		const outcome = await settle(send());
		if (outcome.ok) {
			admission.slot.release('answered');
			return outcome.value;
		}
		if (!(outcome.error instanceof HumirisRequestError)) {
			admission.slot.release('failed');
			throw outcome.error;
		}
		const failure: HumirisFailure = { ...outcome.error.failure, attempts, ...(rateLimited ? { rateLimited } : {}) };
		last = failure;
		if (failure.status === 429) {
			admission.slot.release('rate-limited', failure.retryAfterMs);
			rateLimited++;
			stats.rateLimited++;
			last = { ...failure, rateLimited };
			if (signal?.aborted) throw new HumirisRequestError(last);
			const asked = failure.retryAfterMs;
			if (asked !== undefined && waitedMs + asked > bound) {
				throw new HumirisRequestError(rateLimitedFor(last, attempts, { waitedMs, rateLimited, boundMs: bound, askedMs: asked }));
			}
			continue;
		}
		admission.slot.release('failed');
		if (!wouldRetry(failure, policy) || signal?.aborted) {
			throw new HumirisRequestError(failure);
		}
		if (failure.retryAfterMs !== undefined && failure.retryAfterMs > policy.maxWaitMs) {
			throw new HumirisRequestError(tooLongToWait(failure, failure.retryAfterMs));
		}
		// Counted only once it is sure to be sent: a wait refused above is no retry.
		stats.retries++;
		if (failure.retryAfterMs !== undefined) {
			governor.pause(failure.retryAfterMs);
		} else {
			await pause(Math.min(policy.maxWaitMs, backoffMs(attempts - rateLimited, context.random)), signal);
		}
	}
}
