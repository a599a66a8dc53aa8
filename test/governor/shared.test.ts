import { credentialGovernors, IDLE_GOVERNOR_MS } from '../../nodes/shared/transport/governor-registry';
import { runModel, probeOutput } from '../model/setup';
import {
	attemptsFor,
	errorOf,
	grantsWithin,
	numbered,
	outputOf,
	promptOf,
	recordGovernorStarts,
	replyTo,
	runChat,
	settlesWithin,
	until,
	useTrackedSimulator,
} from '../resilience/harness';

const tracked = useTrackedSimulator({ seed: 14 });

/** Date.now() (the node's clock) and the simulator's performance clock may disagree by a hair. */
const CLOCK_SLACK_MS = 5;

const credentialOf = (fields: Record<string, unknown> = {}) => {
	const { sim } = tracked();
	return { apiKey: sim.apiKey, mixTuningId: sim.mixTuningId, baseUrl: sim.url, ...fields };
};

describe('one governor per credential', () => {
	it('makes two runs sharing a credential share its Max Concurrent Requests', async () => {
		const { sim } = tracked();
		sim.setLatency(30);
		const run = (label: string) =>
			runChat(sim, numbered(12, label), { options: { concurrency: 5 }, credentialFields: { maxConcurrent: 3 } });

		const [first, second] = await Promise.all([run('first'), run('second')]);

		expect(outputOf(first).map(({ json }) => json.content)).toEqual(numbered(12, 'first').map(replyTo));
		expect(outputOf(second).map(({ json }) => json.content)).toEqual(numbered(12, 'second').map(replyTo));
		expect(sim.peakInFlight).toBe(3);
		expect(sim.completions()).toHaveLength(24);
	});

	it('serves waiting requests in arrival order across runs: a later run is not starved by a long one', async () => {
		const { sim } = tracked();
		// Long answers, so the second run surely asks while the bulk run's first request is out.
		sim.setLatency(800);
		const long = runChat(sim, numbered(6, 'bulk'), { options: { concurrency: 5 }, credentialFields: { maxConcurrent: 1 } });
		await until(() => sim.inFlight === 1, 'the bulk run has sent its first request');
		const webhook = await runChat(sim, ['webhook call'], { credentialFields: { maxConcurrent: 1 } });
		await long;

		expect(outputOf(webhook)[0].json.content).toBe(replyTo('webhook call'));
		// The bulk run's 5 lanes took their places while its first request was answered; the webhook
		// call came next, before the bulk run's sixth item.
		const order = sim.completions().map(promptOf);
		expect(order.indexOf('webhook call')).toBeLessThanOrEqual(5);
	});

	it('pauses every run of the credential when one of them is told Retry-After', async () => {
		const { sim } = tracked();
		sim.setLatency(10);
		const limited = 'limited [[sim:status=429 retry-after-ms=400 times=1]]';
		const starts = recordGovernorStarts();
		const bulk = runChat(sim, numbered(60, 'other run'), { options: { concurrency: 2 } });
		await until(() => sim.completions().length >= 5, 'the other run is under way');
		const paused = await runChat(sim, [limited], {});
		const output = outputOf(await bulk);

		expect(output).toHaveLength(60);
		expect(outputOf(paused)[0].json.content).toBe(replyTo(limited));
		// From the moment the node read the 429, neither run starts a request for 400 ms; judged
		// by when the governor let requests go (arrivals at the simulator lag that on a loaded machine).
		expect(starts.rateLimited).toHaveLength(1);
		const [rateLimitedAt] = starts.rateLimited;
		expect(grantsWithin(starts.granted, rateLimitedAt, 400 - CLOCK_SLACK_MS)).toEqual([]);
		const [refused, retried] = attemptsFor(sim, limited);
		expect(retried.receivedAt - tracked().doneAt(refused)).toBeGreaterThanOrEqual(400 - CLOCK_SLACK_MS);
		expect(sim.completions().filter(({ receivedAt }) => receivedAt > retried.receivedAt).length).toBeGreaterThan(0);
	});

	it('sends the Chat Model through the same governor as Humiris Chat', async () => {
		const { sim } = tracked();
		const limited = 'chat item [[sim:status=429 retry-after-ms=600 times=1]]';
		const chat = runChat(sim, [limited], {});
		await until(() => attemptsFor(sim, limited).some(({ status }) => status === 429), 'the chat item got its 429');
		const refusedAt = tracked().doneAt(attemptsFor(sim, limited)[0]);

		const model = await runModel(sim, { prompt: 'model call', credentials: credentialOf() });
		await chat;

		expect(probeOutput(model)).toMatchObject({ text: replyTo('model call') });
		const [modelRequest] = sim.completions().filter((request) => promptOf(request) === 'model call');
		expect(modelRequest.receivedAt - refusedAt).toBeGreaterThanOrEqual(600 - 100 - CLOCK_SLACK_MS);
	});
});

describe('the learned window', () => {
	it('shrinks to the API limit on 429s, answers every item, and grows back once the limit rises', async () => {
		const { sim } = tracked();
		sim.setLatency(20);
		sim.setLimits({ maxInFlight: 2, retryAfterS: 0 });
		const first = outputOf(await runChat(sim, numbered(30, 'tight'), { options: { concurrency: 6 } }));

		expect(first.map(({ json }) => json.content)).toEqual(numbered(30, 'tight').map(replyTo));
		expect(sim.refused.inFlight).toBeGreaterThan(0);
		const governor = credentialGovernors.peek(credentialOf());
		expect(governor?.state().window).toBe(2);

		sim.setLimits({ maxInFlight: 6, retryAfterS: 0 });
		const second = outputOf(await runChat(sim, numbered(80, 'roomy'), { options: { concurrency: 6 } }));

		expect(second.every(({ json }) => typeof json.content === 'string')).toBe(true);
		expect(governor?.state().window).toBeGreaterThan(2);
		expect(credentialGovernors.peek(credentialOf())).toBe(governor);
	});
});

describe('429s and the wait bound', () => {
	it('does not count a 429 against Max Retries: the request waits its turn again', async () => {
		const { sim } = tracked();
		const prompt = 'three times refused [[sim:status=429 retry-after-ms=20 times=3]]';

		const output = outputOf(await runChat(sim, [prompt], { options: { maxRetries: 0 } }));

		expect(output[0].json.content).toBe(replyTo(prompt));
		expect(attemptsFor(sim, prompt).map(({ status }) => status)).toEqual([429, 429, 429, 200]);
	});

	it('fails an item that waited longer than Max Rate Limit Wait, with the advice and the figures', async () => {
		const { sim } = tracked();
		const prompt = 'always refused [[sim:status=429 retry-after-ms=100]]';
		const started = Date.now();

		const output = outputOf(await runChat(sim, [prompt], { options: { maxRateLimitWait: 450 } }));

		expect(Date.now() - started).toBeLessThan(5_000);
		const error = errorOf(output[0]);
		expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryable: false });
		expect(error.message).toMatch(/^Humiris kept rate limiting requests: it asks to wait 0\.1 s more after 0\.[3-4] s of waiting and \d+ rate-limit answers \(429\); the node's Max Rate Limit Wait allows 0\.5 s\./);
		expect(error.message).toContain(
			"Set Max Concurrent Requests and Max Requests per Minute in the Humiris API credential to your plan's limits, raise Max Rate Limit Wait, or ask Humiris for a higher limit.",
		);
		expect(attemptsFor(sim, prompt).length).toBe(error.attempts);
	});

	it('counts waiting for a slot in the bound, not in the Timeout', async () => {
		const { sim } = tracked();
		const slow = (label: string) => `${label} [[sim:latency ms=500]]`;

		const output = outputOf(
			await runChat(sim, [slow('first'), slow('second'), slow('third')], {
				options: { concurrency: 3, timeout: 700, maxRateLimitWait: 750 },
				credentialFields: { maxConcurrent: 1 },
			}),
		);

		// The second waited 500 ms for its slot, then 500 ms for its answer: past a 700 ms Timeout in
		// all, within it for the request itself; the third would wait 1 s, past the 750 ms bound.
		expect(output.slice(0, 2).map(({ json }) => json.content)).toEqual([replyTo(slow('first')), replyTo(slow('second'))]);
		expect(errorOf(output[2])).toMatchObject({ code: 'RATE_LIMITED', attempts: 0 });
		expect(errorOf(output[2]).message).toMatch(/this request waited 0\.[78] s for the rate limit and got 0 rate-limit answers \(429\); the node's Max Rate Limit Wait allows 0\.8 s\./);
		expect(sim.completions()).toHaveLength(2);
	});

	it('ends every wait at once when the execution is stopped', async () => {
		const { sim } = tracked();
		const stop = new AbortController();
		const prompts = ['long wait [[sim:status=429 retry-after=30]]', ...numbered(3, 'behind it')];
		const run = runChat(sim, prompts, { options: { concurrency: 4, maxRateLimitWait: 60_000 }, continueOnFail: false, signal: stop.signal });
		await until(() => sim.completions().some(({ status }) => status === 429), 'the 429 arrived');
		await until(() => (credentialGovernors.peek(credentialOf())?.state().pausedForMs ?? 0) > 0, 'the credential is paused');
		stop.abort();

		expect(await settlesWithin(run, 2_000)).toBe(true);
		expect((await run).status).toBe('canceled');
		expect(credentialGovernors.peek(credentialOf())?.state()).toMatchObject({ inFlight: 0, queued: 0 });
	});
});

describe('idle state', () => {
	it('drops an idle credential\'s governor, and only once it has been idle for IDLE_GOVERNOR_MS', async () => {
		const { sim } = tracked();
		outputOf(await runChat(sim, numbered(3), {}));
		const governor = credentialGovernors.peek(credentialOf());
		expect(governor?.state()).toMatchObject({ inFlight: 0, queued: 0 });

		credentialGovernors.sweep(Date.now() + IDLE_GOVERNOR_MS - 1_000);
		expect(credentialGovernors.peek(credentialOf())).toBe(governor);
		credentialGovernors.sweep(Date.now() + IDLE_GOVERNOR_MS);
		expect(credentialGovernors.peek(credentialOf())).toBeUndefined();
		expect(credentialGovernors.size).toBe(0);
	});
});

describe('the run summary', () => {
	it('says after every run what was answered and failed, the tokens, the requests, the retries and the waiting', async () => {
		const { sim } = tracked();
		const prompts = ['refused [[sim:status=400]]', 'limited [[sim:status=429 retry-after-ms=50 times=1]]', 'flaky [[sim:status=503 times=1]]'];

		const result = await runChat(sim, prompts, { options: { concurrency: 1, maxRetryWait: 20 } });

		const output = outputOf(result);
		const usage = output.slice(1).map(({ json }) => json.usage as Record<string, number>);
		const sum = (field: string) => usage.reduce((total, one) => total + one[field], 0);
		expect(sim.completions()).toHaveLength(5);
		expect(result.hints).toEqual([
			{
				message: expect.stringMatching(
					new RegExp(
						`^Run summary: 2 answered, 1 failed; tokens: ${sum('promptTokens')} prompt \\+ ${sum('completionTokens')} completion = ${sum('totalTokens')}; 5 requests sent, 1 retry, 1 rate-limit answer \\(429\\); 0\\.\\d s waiting for the rate limit \\(summed over items\\)\\.$`,
					),
				),
				type: 'warning',
				location: 'outputPane',
			},
		]);
	});
});
