import { sleep } from 'n8n-workflow';

import { startSimulator, type Simulator } from '../simulator';
import { numbered, runChat, settlesWithin, until } from './harness';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ seed: 13 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

it.each([true, false])(
	'aborts the requests in flight and launches no more when the execution is stopped (continue on fail: %s)',
	async (continueOnFail) => {
		sim.setLatency(2_000);
		const stop = new AbortController();
		const running = runChat(sim, numbered(20), {
			options: { concurrency: 5 },
			continueOnFail,
			signal: stop.signal,
		});
		await until(() => sim.inFlight === 5, 'all five lanes are in flight');

		const stoppedAt = Date.now();
		stop.abort();
		const result = await running;

		expect(Date.now() - stoppedAt).toBeLessThan(1_000);
		// The simulator only goes idle before its 2 s latency if the client closed the sockets.
		expect(await settlesWithin(sim.whenIdle(), 500)).toBe(true);
		expect(sim.completions()).toHaveLength(5);
		expect(sim.completions().map(({ status }) => status)).toEqual(Array(5).fill(undefined));
		expect(result.status).toBe('canceled');
	},
);

it('sends nothing more when the execution is stopped during a Retry-After wait', async () => {
	const retryAfterMs = 600;
	const limited = numbered(2, 'limited').map(
		(prompt) => `${prompt} [[sim:status=429 retry-after-ms=${retryAfterMs}]]`,
	);
	const stop = new AbortController();
	const running = runChat(sim, [...limited, ...numbered(3)], {
		options: { concurrency: 2, maxRetries: 3, maxRetryWait: 5_000 },
		signal: stop.signal,
	});
	await until(
		() => sim.completions().filter(({ status }) => status === 429).length === 2,
		'both lanes were told to wait',
	);

	const stoppedAt = Date.now();
	stop.abort();
	const result = await running;

	expect(Date.now() - stoppedAt).toBeLessThan(retryAfterMs / 2);
	// Past the moment the retries would have gone out.
	await sleep(retryAfterMs - (Date.now() - stoppedAt) + 100);
	expect(sim.completions()).toHaveLength(2);
	expect(result.status).toBe('canceled');
});
