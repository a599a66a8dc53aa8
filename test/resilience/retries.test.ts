import {
	attemptsFor,
	errorOf,
	numbered,
	outputOf,
	grantsWithin,
	promptOf,
	recordGovernorStarts,
	replyTo,
	runChat,
	useTrackedSimulator,
} from './harness';

const tracked = useTrackedSimulator({ seed: 5 });

/** Caps the 0.5 s+ backoff so retry tests stay fast; Retry-After tests raise it. */
const QUICK_RETRIES = { maxRetries: 2, maxRetryWait: 20 };

/** Date.now() (the node's clock) and the simulator's performance clock may disagree by a hair. */
const CLOCK_SLACK_MS = 5;

describe('Retry-After', () => {
	it('holds the item for retry-after-ms and pauses the whole pool meanwhile', async () => {
		const { sim } = tracked();
		sim.setLatency(10);
		const limited = 'item 3 [[sim:status=429 retry-after-ms=300 times=1]]';
		const prompts = numbered(40);
		prompts[3] = limited;
		const starts = recordGovernorStarts();

		const output = outputOf(
			await runChat(sim, prompts, { options: { concurrency: 4, maxRetries: 2, maxRetryWait: 1_000 } }),
		);

		expect(output.map(({ json }) => json.content)).toEqual(prompts.map(replyTo));
		const [first, retry, ...extra] = attemptsFor(sim, limited);
		expect(extra).toEqual([]);
		expect(first.status).toBe(429);
		expect(retry.receivedAt - tracked().doneAt(first)).toBeGreaterThanOrEqual(300 - CLOCK_SLACK_MS);

		// The pool must go quiet for the wait: from the moment the node read the 429, no request
		// may start for 300 ms. Judged by when the governor let requests go, not by when they
		// reached the simulator: a request let go just before the 429 was read can take tens of
		// milliseconds to arrive on a loaded machine, which ate into a silence measured there.
		const [rateLimitedAt] = starts.rateLimited;
		expect(starts.rateLimited).toHaveLength(1);
		expect(grantsWithin(starts.granted, rateLimitedAt, 300 - CLOCK_SLACK_MS)).toEqual([]);
		const othersAfterRetry = sim.completions().filter(({ receivedAt }) => receivedAt > retry.receivedAt);
		expect(othersAfterRetry.length).toBeGreaterThan(10);
	});

	it('holds the item for a Retry-After given in seconds', async () => {
		const { sim } = tracked();
		const limited = 'wait a second [[sim:status=429 retry-after=1 times=1]]';

		const output = outputOf(await runChat(sim, [limited], { options: { maxRetryWait: 2_000 } }));

		expect(output[0].json.content).toBe(replyTo(limited));
		const [first, retry] = attemptsFor(sim, limited);
		expect(retry.receivedAt - tracked().doneAt(first)).toBeGreaterThanOrEqual(1_000 - CLOCK_SLACK_MS);
	});

	it('fails the item at once, with the advice, when Retry-After exceeds Max Rate Limit Wait', async () => {
		const { sim } = tracked();
		const limited = 'come back later [[sim:status=429 retry-after=30]]';
		const started = Date.now();

		const output = outputOf(
			await runChat(sim, [limited, 'next item'], { options: { maxRetries: 5, maxRateLimitWait: 1_000 } }),
		);

		expect(Date.now() - started).toBeLessThan(5_000);
		expect(errorOf(output[0])).toMatchObject({
			code: 'RATE_LIMITED',
			status: 429,
			retryable: false,
			message: expect.stringContaining('it asks to wait 30 s more'),
		});
		expect(attemptsFor(sim, limited)).toHaveLength(1);
		// The refusal to wait is the item's own: the credential was not paused for 30 s either.
		expect(output[1].json.content).toBe(replyTo('next item'));
	});
});

describe('retry limit', () => {
	it.each([0, 2])('sends a failing request 1 + %i times, then reports the last failure', async (maxRetries) => {
		const { sim } = tracked();
		const failing = `always down ${maxRetries} [[sim:status=503]]`;

		const output = outputOf(await runChat(sim, [failing], { options: { ...QUICK_RETRIES, maxRetries } }));

		expect(attemptsFor(sim, failing)).toHaveLength(1 + maxRetries);
		expect(errorOf(output[0])).toMatchObject({ code: 'SERVER_ERROR', status: 503, retryable: true });
		expect(output[0].pairedItem).toEqual({ item: 0 });
	});

	it.each([
		['status=400', 'BAD_REQUEST'],
		['status=401', 'UNAUTHORIZED'],
		['status=403', 'FORBIDDEN'],
		['status=404', 'NOT_FOUND'],
		['status=409', 'HTTP_ERROR'],
		['status=422', 'BAD_REQUEST'],
		['drop', 'ECONNRESET'],
		['hang ms=2000', 'TIMEOUT'],
	])('sends a request that gets %s once', async (directive, code) => {
		const { sim } = tracked();
		const prompt = `hopeless [[sim:${directive}]]`;

		const output = outputOf(await runChat(sim, [prompt], { options: { ...QUICK_RETRIES, timeout: 400 } }));

		// A timeout or a dropped connection could succeed if sent again, but may already be billed.
		expect(errorOf(output[0])).toMatchObject({ code, attempts: 1 });
		expect(attemptsFor(sim, prompt)).toHaveLength(1);
	});

	it('sends a body the API rejects as invalid once, and still sends the other items', async () => {
		const { sim } = tracked();
		const prompts = numbered(3);

		const output = outputOf(
			await runChat(sim, prompts, {
				options: { ...QUICK_RETRIES, additionalBodyFields: '{"max_tokens": 0}' },
			}),
		);

		expect(output.map((item) => errorOf(item).code)).toEqual(['BAD_REQUEST', 'BAD_REQUEST', 'BAD_REQUEST']);
		expect(errorOf(output[0]).message).toContain('max_tokens must be a positive integer');
		expect(sim.completions().map(promptOf)).toEqual(prompts);
	});
});

describe('temporary failures', () => {
	it.each([
		['408', '[[sim:status=408 times=1]]'],
		['429 without Retry-After', '[[sim:status=429 times=1]]'],
		['500', '[[sim:status=500 times=1]]'],
		['502', '[[sim:status=502 times=1]]'],
		['503', '[[sim:status=503 times=1]]'],
		['a proxy 502 page', '[[sim:html status=502 times=1]]'],
		['a dropped connection', '[[sim:drop times=1]]'],
		['a timeout', '[[sim:hang ms=2000 times=1]]'],
	])('recovers from %s with a normal answer on the next attempt', async (_name, directive) => {
		const { sim } = tracked();
		const prompt = `flaky ${directive}`;

		// Timeouts and dropped connections are resent only when the user accepts paying twice.
		const options = { ...QUICK_RETRIES, timeout: 400, retryUnconfirmed: true };
		const output = outputOf(await runChat(sim, [prompt], { options }));

		expect(output).toEqual([
			{ json: expect.objectContaining({ content: replyTo(prompt), finishReason: 'stop' }), pairedItem: { item: 0 } },
		]);
		const attempts = attemptsFor(sim, prompt);
		expect(attempts.map(({ status }) => status === 200)).toEqual([false, true]);
		expect(attempts[0].fault).toBe(directive.slice('[[sim:'.length, -' times=1]]'.length));
	});
});

describe('attempts on error items', () => {
	it('tells how many requests were sent for the item before it failed', async () => {
		const { sim } = tracked();
		const exhausted = 'down [[sim:status=503]]';
		const rejected = 'rejected [[sim:status=400]]';
		const tooLong = 'later [[sim:status=429 retry-after=1]]';

		const output = outputOf(
			// One after the other: the 429's Retry-After pauses the whole credential, the other items too.
			await runChat(sim, [exhausted, rejected, tooLong], {
				options: { concurrency: 1, maxRetries: 2, maxRetryWait: 100, maxRateLimitWait: 500 },
			}),
		);

		expect(output.map((item) => errorOf(item).code)).toEqual(['SERVER_ERROR', 'BAD_REQUEST', 'RATE_LIMITED']);
		expect([exhausted, rejected, tooLong].map((prompt) => attemptsFor(sim, prompt).length)).toEqual([3, 1, 1]);
		expect(output.map((item) => errorOf(item).attempts)).toEqual([3, 1, 1]);
	});
});
