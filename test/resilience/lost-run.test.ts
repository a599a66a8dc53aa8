import { attemptsFor, numbered, runChat, useTrackedSimulator } from './harness';

const tracked = useTrackedSimulator({ seed: 11 });

/**
 * Without continue on fail, one item failing for good loses the run: the node will throw
 * whatever the other items do. Items being retried must stop paying and stop waiting.
 */
describe('a run that is already lost', () => {
	it('ends in about one round trip, not after the Retry-After waits of the items in flight', async () => {
		const { sim } = tracked();
		// Items 1–4 are rate limited with a long wait the node accepts; item 0 fails for good just after.
		const hopeless = 'item 0 [[sim:latency ms=150]] [[sim:status=400]]';
		const limited = numbered(4).map((prompt) => `${prompt} [[sim:status=429 retry-after=10]]`);

		const started = Date.now();
		const result = await runChat(sim, [hopeless, ...limited], {
			options: { concurrency: 5, maxRetries: 3, maxRetryWait: 60_000 },
			continueOnFail: false,
		});
		const elapsed = Date.now() - started;

		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({ itemIndex: 0, httpCode: '400' });
		// One request per item, no retry after the run was lost, and no 10 s wait.
		expect(limited.map((prompt) => attemptsFor(sim, prompt).length)).toEqual([1, 1, 1, 1]);
		expect(attemptsFor(sim, hopeless)).toHaveLength(1);
		expect(elapsed).toBeLessThan(5_000);
	});

	it('stops backing off too: no further attempt after the failure that lost the run', async () => {
		const { sim } = tracked();
		const hopeless = 'item 0 [[sim:latency ms=150]] [[sim:status=401]]';
		const flaky = numbered(4).map((prompt) => `${prompt} [[sim:status=503]]`);

		const started = Date.now();
		const result = await runChat(sim, [hopeless, ...flaky], {
			options: { concurrency: 5, maxRetries: 10, maxRetryWait: 60_000 },
			continueOnFail: false,
		});
		const elapsed = Date.now() - started;

		expect(result.error).toMatchObject({ itemIndex: 0, httpCode: '401' });
		// 0.5 s, 1 s, 2 s … of backoff would keep these items sending for many seconds.
		const sent = flaky.map((prompt) => attemptsFor(sim, prompt).length);
		expect(Math.max(...sent)).toBeLessThanOrEqual(2);
		expect(elapsed).toBeLessThan(5_000);
	});

	it('keeps retrying with continue on fail, where the other items still count', async () => {
		const { sim } = tracked();
		const hopeless = 'item 0 [[sim:status=400]]';
		const flaky = 'item 1 [[sim:status=503 times=1]]';

		const result = await runChat(sim, [hopeless, flaky], { options: { maxRetries: 2, maxRetryWait: 20 } });

		expect(result.status).toBe('success');
		expect(attemptsFor(sim, flaky)).toHaveLength(2);
	});
});
