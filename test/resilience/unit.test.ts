import { sleep } from 'n8n-workflow';

import { forEachLimited } from '../../nodes/HumirisChat/helpers/pool';
import { HumirisRequestError, type HumirisFailure } from '../../nodes/shared/transport/errors';
import { RequestGovernor } from '../../nodes/shared/transport/governor';
import { backoffMs, withRetries } from '../../nodes/shared/transport/retry';

describe('backoffMs', () => {
	it('starts at 0.5 s and doubles up to 8 s', () => {
		const noJitter = () => 0;
		expect([1, 2, 3, 4, 5, 6, 10].map((retry) => backoffMs(retry, noJitter))).toEqual([
			500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000,
		]);
	});

	it('jitters each wait down by at most a quarter, never up', () => {
		expect(backoffMs(1, () => 0.999_999)).toBe(375);
		expect(backoffMs(5, () => 0.5)).toBe(7_000);
		for (let retry = 1; retry <= 8; retry++) {
			const ceiling = backoffMs(retry, () => 0);
			const wait = backoffMs(retry);
			expect(wait).toBeGreaterThanOrEqual(ceiling * 0.75);
			expect(wait).toBeLessThanOrEqual(ceiling);
		}
	});
});

describe('forEachLimited', () => {
	async function track(count: number, limit: number, durationOf: (index: number) => number = () => 5) {
		const started: number[] = [];
		const finished: number[] = [];
		let running = 0;
		let peak = 0;
		await forEachLimited(
			count,
			limit,
			async (index) => {
				started.push(index);
				peak = Math.max(peak, ++running);
				await sleep(durationOf(index));
				running--;
				finished.push(index);
			},
			() => false,
		);
		return { started, finished, peak };
	}

	it('runs every index once, starting them in order, with exactly `limit` at once at the peak', async () => {
		const { started, finished, peak } = await track(20, 4, (index) => 2 + ((index * 7) % 5) * 3);

		expect(started).toEqual(Array.from({ length: 20 }, (_, index) => index));
		expect([...finished].sort((a, b) => a - b)).toEqual(started);
		expect(peak).toBe(4);
	});

	it('refills a free slot at once: quick work passes a slow one', async () => {
		const { finished } = await track(10, 2, (index) => (index === 0 ? 200 : 5));

		expect(finished.at(-1)).toBe(0);
	});

	it.each([
		[0, 1],
		[Number.NaN, 1],
		[2.7, 2],
		[50, 3],
	])('treats a limit of %p as %p', async (limit, expectedPeak) => {
		const { started, peak } = await track(3, limit);

		expect(started).toEqual([0, 1, 2]);
		expect(peak).toBe(expectedPeak);
	});

	it('does nothing for no indexes', async () => {
		const { started } = await track(0, 5);
		expect(started).toEqual([]);
	});

	it('starts nothing new once stop() says so, and lets the running work finish', async () => {
		const started: number[] = [];
		const finished: number[] = [];

		await forEachLimited(
			10,
			2,
			async (index) => {
				started.push(index);
				await sleep(10);
				finished.push(index);
			},
			() => started.length >= 3,
		);

		expect(started).toEqual([0, 1, 2]);
		expect([...finished].sort()).toEqual([0, 1, 2]);
	});
});

describe('withRetries', () => {
	const failure = (overrides: Partial<HumirisFailure>): HumirisFailure => ({
		code: 'SERVER_ERROR',
		message: 'temporary',
		description: '',
		status: 503,
		retryable: true,
		...overrides,
	});

	async function attempt(outcomes: Array<HumirisFailure | Error | 'ok'>, maxRetries = 3, maxWaitMs = 10) {
		let calls = 0;
		const send = async () => {
			const outcome = outcomes[Math.min(calls++, outcomes.length - 1)];
			if (outcome === 'ok') return 'answer';
			throw outcome instanceof Error ? outcome : new HumirisRequestError(outcome);
		};
		const result = await withRetries(send, {
			policy: { maxRetries, maxWaitMs, maxRateLimitWaitMs: 60_000 },
			governor: new RequestGovernor({ maxConcurrent: 0, requestsPerMinute: 0 }),
			signal: undefined,
		}).catch((error: unknown) => error);
		return { result, calls };
	}

	it('resends a temporary failure until it succeeds', async () => {
		expect(await attempt([failure({}), failure({ status: 502 }), 'ok'])).toEqual({ result: 'answer', calls: 3 });
	});

	it('gives up after maxRetries, reporting the attempts made', async () => {
		const { result, calls } = await attempt([failure({})], 2);

		expect(calls).toBe(3);
		expect((result as HumirisRequestError).failure).toMatchObject({ code: 'SERVER_ERROR', attempts: 3 });
	});

	it('sends a permanent failure once', async () => {
		const { result, calls } = await attempt([failure({ code: 'BAD_REQUEST', status: 400, retryable: false })]);

		expect(calls).toBe(1);
		expect((result as HumirisRequestError).failure.attempts).toBe(1);
	});

	it('passes errors it does not understand straight through, unretried', async () => {
		const bug = new TypeError('not a request failure');
		expect(await attempt([bug])).toEqual({ result: bug, calls: 1 });
	});

	it('refuses a server error\'s Retry-After longer than the max wait instead of waiting it out', async () => {
		const started = Date.now();
		const { result, calls } = await attempt([failure({ retryAfterMs: 30_000 })], 3, 1_000);

		expect(Date.now() - started).toBeLessThan(500);
		expect(calls).toBe(1);
		expect((result as HumirisRequestError).failure).toMatchObject({
			retryable: false,
			message: expect.stringContaining('asks to wait 30 s'),
		});
	});
});
