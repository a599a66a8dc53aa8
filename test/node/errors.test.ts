import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { USER_MESSAGES } from '../../nodes/shared/user-messages';
import { closedBaseUrl, expectLeakScanCoverage, outputJson, runChat, useSimulator } from './setup';

const simulator = useSimulator();

/** Retryable failures are sent once, so a test sees the failure the node gives up with. */
const noRetries = { maxRetries: 0, maxRateLimitWait: 0 };

interface ErrorCase {
	name: string;
	credentials?: () => ICredentialDataDecryptedObject;
	/** The second item's prompt; the first item always asks a fine question. */
	prompt?: string;
	code: string;
	message: string | RegExp;
	description: string | RegExp;
	httpCode: string;
}

const WRONG_KEY = 'dummy-wrong-key-0000';

const httpErrors: ErrorCase[] = [
	{
		name: '401 for a wrong API key',
		credentials: () => ({ apiKey: WRONG_KEY }),
		code: 'UNAUTHORIZED',
		message: USER_MESSAGES.unauthorized,
		description: 'HTTP 401. Humiris said: Unauthorized: Invalid or missing apikey.',
		httpCode: '401',
	},
	{
		name: '404 for an unknown MixTuning ID',
		credentials: () => ({ mixTuningId: 'mix-nobody-made' }),
		code: 'MIX_TUNING_NOT_FOUND',
		message: USER_MESSAGES.mixTuningNotFound,
		description: 'HTTP 404. Humiris said: MixTuningNotFound: The provided mixTuningId does not exist.',
		httpCode: '404',
	},
	{
		name: '404 for a Base URL with the wrong path',
		credentials: () => ({ baseUrl: `${simulator().origin}/api/v2` }),
		code: 'ENDPOINT_NOT_FOUND',
		message: USER_MESSAGES.endpointNotFound,
		description: 'HTTP 404. Humiris said: Not Found: Cannot POST /api/v2/chat/completions',
		httpCode: '404',
	},
	{
		name: '429 once Max Rate Limit Wait is used up',
		prompt: 'Busy? [[sim:status=429]]',
		code: 'RATE_LIMITED',
		message:
			"Humiris kept rate limiting requests: this request waited 0 s for the rate limit and got 1 rate-limit answer (429); the node's Max Rate Limit Wait allows 0 s. Set Max Concurrent Requests and Max Requests per Minute in the Humiris API credential to your plan's limits, raise Max Rate Limit Wait, or ask Humiris for a higher limit.",
		description: 'HTTP 429. Humiris said: Too Many Requests: Simulated 429 response.',
		httpCode: '429',
	},
	...[500, 502, 503].map((status) => ({
		name: `${status} once retries are used up`,
		prompt: `Down? [[sim:status=${status}]]`,
		code: 'SERVER_ERROR',
		message: `Humiris had a temporary problem (HTTP ${status}). Try again in a moment.`,
		description: new RegExp(`^HTTP ${status}\\. Humiris said: .+: Simulated ${status} response\\.$`),
		httpCode: String(status),
	})),
	{
		name: "a proxy's 502 error page",
		prompt: 'Proxy? [[sim:html status=502]]',
		code: 'SERVER_ERROR',
		message: 'Humiris had a temporary problem (HTTP 502). Try again in a moment.',
		description: /^HTTP 502\. Humiris said: <html>.*502 Bad Gateway/s,
		httpCode: '502',
	},
	{
		name: 'a web page instead of the API',
		prompt: 'Page? [[sim:html]]',
		code: 'INVALID_RESPONSE',
		message: `${USER_MESSAGES.notACompletion} It answered with text/html instead of JSON.`,
		description: /^HTTP 200, text\/html; charset=utf-8\. The response began: <!DOCTYPE html>.*Sign in to continue/,
		httpCode: '200',
	},
	{
		name: 'a completion without choices',
		prompt: 'Nothing? [[sim:empty-choices]]',
		code: 'INVALID_RESPONSE',
		message: 'Humiris answered without any completion (no "choices" in the response).',
		description: /^HTTP 200, application\/json; charset=utf-8\. The response began: \{"id":"chatcmpl-\d+".*"choices":\[\]/,
		httpCode: '200',
	},
];

describe('documented errors', () => {
	it.each(httpErrors)('reports $name in plain words, the HTTP status and the API text', async (error) => {
		// A credential failure fails every item alike, so the first one carries it.
		const itemIndex = error.credentials ? 0 : 1;
		const result = await runChat(simulator(), {
			items: [{ chatInput: 'A fine question' }, { chatInput: error.prompt ?? 'Another question' }],
			credentials: error.credentials?.(),
			parameters: { options: noRetries },
		});

		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({
			message: error.message,
			description: error.description,
			httpCode: error.httpCode,
			itemIndex,
		});
		expect(result.error?.raw).toMatchObject({ name: 'NodeApiError', errorResponse: { code: error.code } });
	});

	it('retries a temporary failure Max Retries times, then reports it', async () => {
		const sim = simulator();
		const result = await runChat(sim, {
			items: [{ chatInput: 'Down? [[sim:status=503]]' }],
			parameters: { options: { maxRetries: 1, maxRetryWait: 100 } },
		});

		expect(result.error).toMatchObject({ httpCode: '503', itemIndex: 0 });
		expect(sim.completions().map(({ status, body }) => [status, body])).toEqual([
			[503, { model: 'Humiris/humiris-moai', messages: [{ role: 'user', content: 'Down? [[sim:status=503]]' }] }],
			[503, { model: 'Humiris/humiris-moai', messages: [{ role: 'user', content: 'Down? [[sim:status=503]]' }] }],
		]);
	});

	it('succeeds when a retry gets through', async () => {
		const sim = simulator();
		const result = await runChat(sim, {
			items: [{ chatInput: 'Flaky [[sim:status=502 times=1]]' }],
			parameters: { options: { maxRetries: 1, maxRetryWait: 100 } },
		});

		expect(result.status).toBe('success');
		expect(outputJson(result)[0].content).toBe('MoAI answer to: Flaky');
		expect(sim.completions().map(({ status }) => status)).toEqual([502, 200]);
	});

	it('fails after the Timeout option when Humiris does not answer', async () => {
		const sim = simulator();
		const started = Date.now();
		const result = await runChat(sim, {
			items: [{ chatInput: 'Anyone? [[sim:hang]]' }],
			parameters: { options: { timeout: 300, ...noRetries } },
		});
		const elapsed = Date.now() - started;
		await sim.whenIdle();

		expect(result.error).toMatchObject({
			message: "Humiris did not answer within 0.3 s. Raise the node's Timeout option, or try again later.",
			description: 'No response after 300 ms (the Timeout option).',
			itemIndex: 0,
		});
		expect(result.error?.raw).toMatchObject({ errorResponse: { code: 'TIMEOUT', retryable: true } });
		expect(elapsed).toBeGreaterThanOrEqual(300);
		expect(elapsed).toBeLessThan(3000);
	});

	it('reports a refused connection with the Base URL it tried', async () => {
		const baseUrl = await closedBaseUrl();
		const result = await runChat(simulator(), {
			credentials: { baseUrl },
			parameters: { options: noRetries },
		});

		expect(result.error).toMatchObject({
			description: `Network error ECONNREFUSED while calling ${baseUrl}/chat/completions.`,
			itemIndex: 0,
		});
		expect(result.error?.raw).toMatchObject({ errorResponse: { code: 'ECONNREFUSED', status: null } });
		expect(result.error?.message).toBe(
			`Could not reach Humiris at ${baseUrl}: the connection was refused. Check the Base URL in the Humiris API credential and that this n8n can reach it.`,
		);
	});

	it('reports a dropped connection', async () => {
		const sim = simulator();
		const result = await runChat(sim, {
			items: [{ chatInput: 'Hello? [[sim:drop]]' }],
			parameters: { options: noRetries },
		});

		expect(sim.completions()).toHaveLength(1);
		expect(result.error).toMatchObject({
			description: `Network error ECONNRESET while calling ${sim.url}/chat/completions.`,
			itemIndex: 0,
		});
		expect(result.error?.raw).toMatchObject({ errorResponse: { code: 'ECONNRESET', retryable: true } });
		expect(result.error?.message).toBe(
			`Could not reach Humiris at ${sim.url}: the connection was dropped. Check the Base URL in the Humiris API credential and that this n8n can reach it.`,
		);
	});
});

describe('continue on fail', () => {
	it('outputs every item in order, the failed ones as error items linked to their input', async () => {
		const sim = simulator();
		const items: IDataObject[] = [
			{ messages: [{ role: 'user', content: 'question 0' }] },
			{ messages: [{ role: 'user', content: 'question 1 [[sim:status=503]]' }] },
			{ messages: [{ role: 'user', content: 'question 2' }] },
			{ messages: '[{"role": "user", "content": "question 3"' },
			{ messages: [{ role: 'user', content: 'question 4' }] },
		];

		const result = await runChat(sim, {
			items,
			parameters: { messageMode: 'json', options: noRetries },
			continueOnFail: true,
		});

		expect(result.status).toBe('success');
		const answer = (n: number) => expect.objectContaining({ content: `MoAI answer to: question ${n}` });
		expect(result.items[0]).toEqual([
			{ json: answer(0), pairedItem: { item: 0 } },
			{
				json: {
					error: {
						message: 'Humiris had a temporary problem (HTTP 503). Try again in a moment.',
						description: 'HTTP 503. Humiris said: Service Unavailable: Simulated 503 response.',
						status: 503,
						code: 'SERVER_ERROR',
						retryable: true,
						attempts: 1,
					},
				},
				pairedItem: { item: 1 },
			},
			{ json: answer(2), pairedItem: { item: 2 } },
			{
				json: {
					error: {
						message:
							'Item 3: The messages JSON is not valid JSON. Expected an array such as [{"role": "user", "content": "Hello"}].',
						description: "Fix the node's parameters or the incoming item.",
						status: null,
						code: 'INVALID_INPUT',
						retryable: false,
					},
				},
				pairedItem: { item: 3 },
			},
			{ json: answer(4), pairedItem: { item: 4 } },
		]);
		// Item 3 never became a request.
		expect(sim.completions()).toHaveLength(4);
	});

	it('sends a request the credential makes hopeless once, failing the other items without one', async () => {
		const sim = simulator();
		const result = await runChat(sim, {
			items: [{ chatInput: 'a' }, { chatInput: 'b' }, { chatInput: 'c' }, { chatInput: 'd' }],
			credentials: { apiKey: WRONG_KEY },
			parameters: { options: { concurrency: 1 } },
			continueOnFail: true,
		});

		expect(sim.completions()).toHaveLength(1);
		expect(result.items[0].map(({ json, pairedItem }) => [(json.error as IDataObject).code, pairedItem])).toEqual(
			[0, 1, 2, 3].map((item) => ['UNAUTHORIZED', { item }]),
		);
	});

	it('says in each error item how many attempts were made', async () => {
		const sim = simulator();
		const retried = await runChat(sim, {
			items: [{ chatInput: 'Down? [[sim:status=503]]' }],
			parameters: { options: { maxRetries: 1, maxRetryWait: 100 } },
			continueOnFail: true,
		});
		const blocked = await runChat(sim, {
			items: [{ chatInput: 'a' }, { chatInput: 'b' }],
			credentials: { apiKey: WRONG_KEY },
			parameters: { options: { concurrency: 1 } },
			continueOnFail: true,
		});

		expect(outputJson(retried).map(({ error }) => (error as IDataObject).attempts)).toEqual([2]);
		expect(outputJson(blocked).map(({ error }) => (error as IDataObject).attempts)).toEqual([1, 0]);
	});
});

describe('the API key stays out of errors', () => {
	/** Where a transport error would carry the request, and with it the apikey header. */
	const TRANSPORT_KEYS = new Set(['headers', 'config', 'request', 'response']);

	function transportKeysIn(value: unknown, path = ''): string[] {
		if (typeof value !== 'object' || value === null) return [];
		return Object.entries(value).flatMap(([key, child]) => [
			...(TRANSPORT_KEYS.has(key) ? [`${path}${key}`] : []),
			...transportKeysIn(child, `${path}${key}.`),
		]);
	}

	it('keeps the request out of a 401 error, thrown or output', async () => {
		const sim = simulator();
		const thrown = await runChat(sim, { credentials: { apiKey: WRONG_KEY } });
		const continued = await runChat(sim, { credentials: { apiKey: WRONG_KEY }, continueOnFail: true });

		// The request did carry the key: an error that kept the request would show it.
		expect(sim.completions().map(({ headers }) => headers.apikey)).toEqual([WRONG_KEY, WRONG_KEY]);
		expect(thrown.error?.httpCode).toBe('401');
		expect(transportKeysIn(thrown.error?.raw)).toEqual([]);
		expect(JSON.stringify(thrown.error?.raw)).not.toContain(WRONG_KEY);
		expect(JSON.stringify(thrown.runData)).not.toContain(WRONG_KEY);
		expect(transportKeysIn(outputJson(continued))).toEqual([]);
		expect(JSON.stringify(outputJson(continued))).not.toContain(WRONG_KEY);
	});
});

expectLeakScanCoverage(['output', 'error', 'log']);
