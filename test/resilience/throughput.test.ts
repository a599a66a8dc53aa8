import {
	numbered,
	outputOf,
	promptOf,
	replyTo,
	runChat,
	useTrackedSimulator,
} from './harness';

const tracked = useTrackedSimulator({ seed: 11 });

describe('output order', () => {
	it('follows input order, each item paired with the answer to its own prompt', async () => {
		const { sim } = tracked();
		sim.setLatency({ min: 5, max: 60 });
		const prompts = numbered(40, 'question');

		const output = outputOf(await runChat(sim, prompts, { options: { concurrency: 8 } }));

		// Answers must really have overtaken each other, or the order check below proves nothing.
		expect(tracked().finished().map(promptOf)).not.toEqual(prompts);
		expect(output.map(({ json, pairedItem }) => ({ content: json.content, pairedItem }))).toEqual(
			prompts.map((prompt, item) => ({ content: replyTo(prompt), pairedItem: { item } })),
		);
		expect(sim.completions().map(promptOf).sort()).toEqual([...prompts].sort());
	});
});

describe('bounded concurrency', () => {
	it.each([1, 3, 10])('keeps exactly %i requests in flight at the peak', async (concurrency) => {
		const { sim } = tracked();
		// Fixed latency makes every lane overlap; sequential runs get a shorter one to stay fast.
		sim.setLatency(concurrency === 1 ? 15 : 60);

		const output = outputOf(await runChat(sim, numbered(20), { options: { concurrency } }));

		expect(output).toHaveLength(20);
		expect(sim.peakInFlight).toBe(concurrency);
	});

	it('refills a lane as soon as it frees up instead of waiting for the slowest of a batch', async () => {
		const { sim } = tracked();
		sim.setLatency(5);
		const slow = 'slow [[sim:latency ms=800]]';
		const prompts = [slow, ...numbered(12)];

		const output = outputOf(await runChat(sim, prompts, { options: { concurrency: 3 } }));

		expect(output.map(({ json }) => json.content)).toEqual(prompts.map(replyTo));
		const slowRequest = sim.completions().find((request) => promptOf(request) === slow);
		const rest = sim.completions().filter((request) => request !== slowRequest);
		if (!slowRequest) throw new Error('The slow item was never sent.');
		// Two free lanes work through all twelve quick items while the slow one is still running.
		const slowEnd = tracked().doneAt(slowRequest);
		expect(rest.filter((request) => tracked().doneAt(request) > slowEnd).map(promptOf)).toEqual([]);
		expect(sim.peakInFlight).toBe(3);
	});
});
