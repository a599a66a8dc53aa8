import { sleep } from 'n8n-workflow';

import { failureFromCancel, HumirisRequestError, tooLongToWait, type HumirisFailure } from './errors';

export interface RetryPolicy {
	/** Retries after the first attempt; 0 sends each request once. */
	maxRetries: number;
	/** The longest single wait we accept; a longer Retry-After fails the item instead of stalling the run. */
	maxWaitMs: number;
	/** Whether to resend a request Humiris may already have processed (and billed): a timeout, a dropped connection. */
	retryUnconfirmed?: boolean;
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

/**
 * Shared by every request of one node run: when the API says "wait" (Retry-After), the
 * whole pool waits, instead of each worker learning it with a 429 of its own.
 */
export class PauseGate {
	private resumeAt = 0;

	hold(ms: number): void {
		this.resumeAt = Math.max(this.resumeAt, Date.now() + ms);
	}

	async pass(signal: AbortSignal | undefined): Promise<void> {
		for (let wait = this.resumeAt - Date.now(); wait > 0 && !signal?.aborted; wait = this.resumeAt - Date.now()) {
			await pause(wait, signal);
		}
	}
}

/** A promise's outcome as a value, so callers branch on it instead of catching and rethrowing. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
	return await promise.then(
		(value): Settled<T> => ({ ok: true, value }),
		(error: unknown): Settled<T> => ({ ok: false, error }),
	);
}

/** Whether the policy sends this failed attempt again; false once retries are used up. */
export function wouldRetry(failure: HumirisFailure, policy: RetryPolicy): boolean {
	const mayPayTwice = failure.mayHaveBeenProcessed === true && policy.retryUnconfirmed !== true;
	return failure.retryable && !mayPayTwice && (failure.attempts ?? 1) <= policy.maxRetries;
}

export interface RetryContext {
	policy: RetryPolicy;
	gate: PauseGate;
	/** Aborted when the execution is stopped, or when the caller has no use for the answer any more. */
	signal: AbortSignal | undefined;
	random?: () => number;
}

/**
 * Sends one request until it succeeds, fails for good, or runs out of retries. Only
 * failures the API calls temporary are retried; the last failure carries the number of
 * attempts made, so an error item can say how hard we tried.
 */
export async function withRetries<T>(send: () => Promise<T>, context: RetryContext): Promise<T> {
	const { policy, gate, signal } = context;
	let last: HumirisFailure | undefined;
	for (let attempt = 1; ; attempt++) {
		await gate.pass(signal);
		// Woken by the abort rather than by the end of the wait: nothing more is sent.
		if (signal?.aborted) throw new HumirisRequestError(last ?? failureFromCancel());
		const outcome = await settle(send());
		if (outcome.ok) return outcome.value;
		if (!(outcome.error instanceof HumirisRequestError)) throw outcome.error;
		const failure: HumirisFailure = { ...outcome.error.failure, attempts: attempt };
		last = failure;
		if (!wouldRetry(failure, policy) || signal?.aborted) {
			throw new HumirisRequestError(failure);
		}
		if (failure.retryAfterMs !== undefined) {
			if (failure.retryAfterMs > policy.maxWaitMs) {
				throw new HumirisRequestError(tooLongToWait(failure, failure.retryAfterMs));
			}
			gate.hold(failure.retryAfterMs);
		} else {
			await pause(Math.min(policy.maxWaitMs, backoffMs(attempt, context.random)), signal);
		}
	}
}
