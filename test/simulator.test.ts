import { sleep } from 'n8n-workflow';

import { countTokens, MESSAGE_OVERHEAD_TOKENS, startSimulator, type Simulator } from './simulator';

interface Completion {
	id: string;
	object: string;
	created: number;
	model: string;
	choices: Array<{
		index: number;
		message: { role: string; content: string };
		finish_reason: string;
		stop_reason: string | null;
	}>;
	usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ seed: 42 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

function authHeaders(overrides: Record<string, string | undefined> = {}): Record<string, string> {
	const headers: Record<string, string | undefined> = {
		'content-type': 'application/json',
		apikey: sim.apiKey,
		mixTuningId: sim.mixTuningId,
		...overrides,
	};
	return Object.fromEntries(
		Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined),
	);
}

function post(body: unknown, headers = authHeaders(), signal?: AbortSignal): Promise<Response> {
	return fetch(`${sim.url}/chat/completions`, {
		method: 'POST',
		headers,
		body: typeof body === 'string' ? body : JSON.stringify(body),
		signal,
	});
}

function ask(content: string, extra: Record<string, unknown> = {}, signal?: AbortSignal) {
	return post({ model: 'moai-1', messages: [{ role: 'user', content }], ...extra }, authHeaders(), signal);
}

async function completion(response: Response): Promise<Completion> {
	expect(response.status).toBe(200);
	return (await response.json()) as Completion;
}

describe('contract', () => {
	it('checks apikey first, then mixTuningId presence, then existence', async () => {
		const cases: Array<[Record<string, string | undefined>, number, string]> = [
			[{ apikey: undefined, mixTuningId: undefined }, 401, 'Unauthorized'],
			[{ apikey: 'wrong' }, 401, 'Unauthorized'],
			[{ mixTuningId: undefined }, 400, 'BadRequest'],
			[{ mixTuningId: 'nope' }, 404, 'MixTuningNotFound'],
		];
		for (const [overrides, status, error] of cases) {
			const response = await post({ bad: true }, authHeaders(overrides));
			expect(response.status).toBe(status);
			expect(await response.json()).toMatchObject({ statusCode: status, error });
		}
	});

	it('takes an OpenAI-style Bearer key only when started with acceptBearer', async () => {
		const bearer = authHeaders({ apikey: undefined, authorization: `Bearer ${sim.apiKey}` });
		const body = { model: 'moai-1', messages: [{ role: 'user', content: 'hi' }] };
		expect((await post(body, bearer)).status).toBe(401);

		const lenient = await startSimulator({ acceptBearer: true });
		try {
			const send = (headers: Record<string, string>) =>
				fetch(`${lenient.url}/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body) });
			expect((await send({ ...bearer, authorization: `Bearer ${lenient.apiKey}` })).status).toBe(200);
			expect((await send({ ...bearer, authorization: 'Bearer wrong' })).status).toBe(401);
			expect((await send(authHeaders({ apikey: lenient.apiKey }))).status).toBe(200);
		} finally {
			await lenient.close();
		}
	});

	it('rejects malformed bodies with an OpenAI-style error', async () => {
		const cases: Array<[unknown, string | null]> = [
			['{not json', null],
			[{ messages: [{ role: 'user', content: 'hi' }] }, 'model'],
			[{ model: 'm', messages: [] }, 'messages'],
			[{ model: 'm', messages: [{ role: 'robot', content: 'hi' }] }, 'messages'],
			[{ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url' }] }] }, 'messages'],
			[{ model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 0 }, 'max_tokens'],
		];
		for (const [body, param] of cases) {
			const response = await post(body);
			expect(response.status).toBe(400);
			expect(await response.json()).toEqual({
				error: { message: expect.any(String), type: 'invalid_request_error', param, code: null },
			});
		}
	});

	it('answers 404 for unknown paths and 405 for other methods on the endpoint', async () => {
		expect((await fetch(`${sim.url}/models`)).status).toBe(404);
		const response = await fetch(`${sim.url}/chat/completions`, { headers: authHeaders() });
		expect(response.status).toBe(405);
		expect(response.headers.get('allow')).toBe('POST');
	});

	it('returns the documented success shape with exact usage arithmetic', async () => {
		const response = await post({
			model: 'moai-pro',
			messages: [
				{ role: 'system', content: 'You are helpful.' },
				{ role: 'user', content: [{ type: 'text', text: 'Hello, world!' }] },
			],
			temperature: 0.2,
		});
		const body = await completion(response);
		expect(body).toEqual({
			id: expect.stringMatching(/^chatcmpl-\d+$/),
			object: 'chat.completion',
			created: expect.any(Number),
			model: 'moai-pro',
			choices: [
				{
					index: 0,
					message: { role: 'assistant', content: 'MoAI answer to: Hello, world!' },
					finish_reason: 'stop',
					stop_reason: null,
				},
			],
			// "You are helpful." = 4 tokens, "Hello, world!" = 4, each message + 4 overhead; reply = 8.
			usage: { prompt_tokens: 16, completion_tokens: 8, total_tokens: 24 },
		});
		expect(MESSAGE_OVERHEAD_TOKENS).toBe(4);
		expect(countTokens(body.choices[0].message.content)).toBe(8);
	});

	it('is deterministic for the same input', async () => {
		const first = await completion(await ask('Same question'));
		const second = await completion(await ask('Same question'));
		expect(second.choices).toEqual(first.choices);
		expect(second.usage).toEqual(first.usage);
	});

	it('truncates to max_tokens with finish_reason length', async () => {
		for (const limit of ['max_tokens', 'max_completion_tokens']) {
			const body = await completion(await ask('Hello, world!', { [limit]: 3 }));
			expect(body.choices[0]).toMatchObject({
				message: { content: 'MoAI answer to' },
				finish_reason: 'length',
				stop_reason: null,
			});
			expect(body.usage.completion_tokens).toBe(3);
		}
	});

	it('cuts at the earliest stop sequence and reports it', async () => {
		const body = await completion(await ask('Hello, world!', { stop: ['world', 'answer'] }));
		expect(body.choices[0]).toMatchObject({
			message: { content: 'MoAI ' },
			finish_reason: 'stop',
			stop_reason: 'answer',
		});
		expect(body.usage.completion_tokens).toBe(1);
	});

	it('classifies by keywords in JSON mode', async () => {
		const cases: Array<[string, string]> = [
			['I want a refund for this invoice', 'billing'],
			['The app crashes with an error', 'technical'],
			['How do I reset my password?', 'account'],
			['What are your opening hours?', 'general'],
		];
		for (const [question, category] of cases) {
			const body = await completion(await ask(question, { response_format: { type: 'json_object' } }));
			expect(JSON.parse(body.choices[0].message.content)).toEqual({
				category,
				answer: `MoAI answer to: ${question}`,
				confidence: 0.9,
			});
		}
	});
});

describe('request log', () => {
	it('records every request with full headers, parsed body and status', async () => {
		await post({ bad: true }, authHeaders({ apikey: 'wrong' }));
		await ask('Hi', { temperature: 0.7, seed: 3 });
		const [rejected, accepted] = sim.requests;
		expect(rejected).toMatchObject({ seq: 1, method: 'POST', status: 401, headers: { apikey: 'wrong' } });
		expect(accepted).toMatchObject({
			seq: 2,
			path: '/api/v1/chat/completions',
			status: 200,
			headers: { apikey: sim.apiKey, mixtuningid: sim.mixTuningId },
			body: { temperature: 0.7, seed: 3 },
		});
		expect(accepted.receivedAt).toBeGreaterThanOrEqual(rejected.receivedAt);
		expect(sim.completions()).toHaveLength(2);
	});
});

describe('directives', () => {
	it('sends 429 with each Retry-After flavour', async () => {
		const seconds = await ask('Hi [[sim:status=429 retry-after=1]]');
		expect(seconds.status).toBe(429);
		expect(seconds.headers.get('retry-after')).toBe('1');

		const millis = await ask('Hi [[sim:status=429 retry-after-ms=200]]');
		expect(millis.headers.get('retry-after-ms')).toBe('200');

		const date = await ask('Hi [[sim:status=429 retry-after-date=2]]');
		const waitMs = Date.parse(date.headers.get('retry-after') ?? '') - Date.now();
		expect(waitMs).toBeGreaterThan(1000);
		expect(waitMs).toBeLessThanOrEqual(3000);
	});

	it('fails the first N identical requests, then succeeds without the directive in the reply', async () => {
		const statuses = [];
		for (let i = 0; i < 3; i++) statuses.push((await ask('Flaky [[sim:status=503 times=2]]')).status);
		expect(statuses).toEqual([503, 503, 200]);
		const body = await completion(await ask('Flaky [[sim:status=503 times=2]]'));
		expect(body.choices[0].message.content).toBe('MoAI answer to: Flaky');
		expect(sim.requests.map((r) => r.fault)).toEqual(['status=503', 'status=503', undefined, undefined]);
	});

	it('drops the connection', async () => {
		await expect(ask('[[sim:drop]]')).rejects.toThrow();
		expect(sim.requests[0].fault).toBe('drop');
		expect(sim.requests[0].status).toBeUndefined();
	});

	it('hangs until the client aborts', async () => {
		await expect(ask('[[sim:hang]]', {}, AbortSignal.timeout(150))).rejects.toThrow();
		await sim.whenIdle();
		expect(sim.inFlight).toBe(0);
		expect(sim.requests[0].fault).toBe('hang');
		expect(sim.requests[0].status).toBeUndefined();
	});

	it('serves HTML pages', async () => {
		const ok = await ask('[[sim:html]]');
		expect(ok.status).toBe(200);
		expect(ok.headers.get('content-type')).toMatch(/^text\/html/);
		const proxy = await ask('[[sim:html status=502]]');
		expect(proxy.status).toBe(502);
		expect(await proxy.text()).toContain('502 Bad Gateway');
	});

	it('bends successful completions', async () => {
		expect((await completion(await ask('Hi [[sim:empty-choices]]'))).choices).toEqual([]);
		expect((await completion(await ask('Hello there [[sim:length]]'))).choices[0].finish_reason).toBe('length');

		const fenced = await completion(await ask('refund [[sim:json-fence]]'));
		expect(fenced.choices[0].message.content).toMatch(/^```json\n\{.*\}\n```$/);
		const broken = await completion(await ask('refund [[sim:bad-json]]'));
		expect(() => JSON.parse(broken.choices[0].message.content)).toThrow();
	});

	it('rejects unknown directives so typos surface', async () => {
		const response = await ask('[[sim:explode]]');
		expect(response.status).toBe(400);
		expect((await ask('[[sim:redirect to=mars]]')).status).toBe(400);
		expect((await ask('[[sim:cut framing=smoke]]')).status).toBe(400);
	});

	it('redirects: same-origin hops answered on arrival, loops and chains as written', async () => {
		const redirect = (content: string, path = '/chat/completions') =>
			fetch(`${sim.url}${path}`, {
				method: 'POST',
				headers: authHeaders(),
				body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content }] }),
				redirect: 'manual',
			});
		const same = await redirect('[[sim:redirect status=308 to=same]]');
		expect([same.status, same.headers.get('location')]).toEqual([308, '/api/v1/chat/completions?redirected=1']);
		expect((await redirect('[[sim:redirect status=308 to=same]]', '/chat/completions?redirected=1')).status).toBe(200);
		expect((await redirect('[[sim:redirect to=loop]]')).headers.get('location')).toBe('/api/v1/chat/completions?loop=b');
		expect((await redirect('[[sim:redirect to=loop]]', '/chat/completions?loop=b')).headers.get('location')).toBe('/api/v1/chat/completions');
		expect((await redirect('[[sim:redirect to=onward]]', '/chat/completions?hop=2')).headers.get('location')).toBe('/api/v1/chat/completions?hop=3');
		// Without a second listener there is nowhere else to send it: the simulator says so.
		expect((await redirect('[[sim:redirect to=elsewhere]]')).status).toBe(500);
	});

	it('sends bodies that go wrong on the way', async () => {
		const empty = await ask('[[sim:empty]]');
		expect([empty.status, await empty.text()]).toEqual([200, '']);
		const stream = await ask('Hi there [[sim:event-stream]]');
		expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
		expect(await stream.text()).toMatch(/^data: \{.*"delta":\{"content":"MoAI "\}.*\n\n[\s\S]*data: \[DONE\]\n\n$/);
		const broken = await ask('[[sim:reply shape=broken-json]]');
		const brokenText = await broken.text();
		expect([broken.status, brokenText.startsWith('{"id":')]).toEqual([200, true]);
		expect(() => JSON.parse(brokenText)).toThrow();
		for (const framing of ['length', 'chunked']) {
			const cut = await ask(`[[sim:cut framing=${framing}]]`);
			expect(cut.status).toBe(200);
			await expect(cut.text()).rejects.toThrow();
		}
		const large = await ask('[[sim:oversize mb=1 framing=length]]');
		expect(Number(large.headers.get('content-length'))).toBeGreaterThan(2 ** 20);
		expect((await large.text()).length).toBe(Number(large.headers.get('content-length')));
	});

	it('trickles a completion one byte at a time', async () => {
		const started = Date.now();
		const body = await completion(await ask('Hi [[sim:trickle ms=1]]'));
		expect(body.choices[0].message.content).toBe('MoAI answer to: Hi');
		const bytes = JSON.stringify(body).length;
		// One timer per byte: never faster than a millisecond each.
		expect(Date.now() - started).toBeGreaterThanOrEqual(bytes);
	});
});

describe('JSON Schema answers', () => {
	const schema = {
		type: 'object',
		properties: {
			category: { type: 'string', enum: ['billing', 'technical', 'account', 'general'] },
			confidence: { type: 'number', maximum: 1 },
		},
		required: ['category', 'confidence'],
	};
	const asSchema = { response_format: { type: 'json_schema', json_schema: { name: 'response', schema, strict: false } } };
	const reply = async (messages: Array<{ role: string; content: string }>, extra: Record<string, unknown> = asSchema) =>
		JSON.parse((await completion(await post({ model: 'm', messages, ...extra }))).choices[0].message.content) as unknown;

	it('answers an object that fits the schema, from response_format or from a system message ending in one', async () => {
		expect(await reply([{ role: 'user', content: 'refund my invoice' }])).toEqual({ category: 'billing', confidence: 0.9 });
		const instruction = { role: 'system', content: `Answer in JSON.\nJSON Schema:\n${JSON.stringify(schema)}` };
		expect(await reply([instruction, { role: 'user', content: 'the app crashes' }], {})).toEqual({ category: 'technical', confidence: 0.9 });
	});

	it('misses by the directive\'s rule until the conversation carries enough corrections', async () => {
		const question = { role: 'user', content: 'reset my password [[sim:schema-miss rule=enum misses=2]]' };
		const turn = (content: string) => [{ role: 'assistant', content }, { role: 'user', content: 'fix it' }];
		expect(await reply([question])).toEqual({ category: 'Account', confidence: 0.9 });
		expect(await reply([question, ...turn('{}')])).toEqual({ category: 'Account', confidence: 0.9 });
		expect(await reply([question, ...turn('{}'), ...turn('{}')])).toEqual({ category: 'account', confidence: 0.9 });
		expect(await reply([{ role: 'user', content: 'hi [[sim:schema-miss rule=required misses=all]]' }, ...turn('{}'), ...turn('{}')])).toEqual({
			confidence: 0.9,
		});
		expect(sim.requests[0].fault).toBe('schema-miss rule=enum misses=2');
	});

	it('refuses json_schema with a 400 naming response_format when started (or set) without it', async () => {
		sim.setJsonSchemaSupport(false);
		const response = await post({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...asSchema });
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({
			error: { message: "response_format type 'json_schema' is not supported.", type: 'invalid_request_error', param: 'response_format', code: null },
		});
		sim.reset();
		expect((await post({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...asSchema })).status).toBe(200);
	});

	it('rejects a schema-miss directive without a known rule', async () => {
		expect((await ask('hi [[sim:schema-miss rule=vibes]]')).status).toBe(400);
	});
});

describe('concurrency, latency and fault plans', () => {
	it('tracks the peak number of requests in flight', async () => {
		await Promise.all(Array.from({ length: 5 }, (_, i) => ask(`Q${i} [[sim:latency ms=100]]`)));
		expect(sim.peakInFlight).toBe(5);
		expect(sim.inFlight).toBe(0);
		for (const { receivedAt, closedAt } of sim.requests) {
			expect(closedAt).toBeGreaterThanOrEqual(receivedAt + 90);
		}
	});

	it('applies a latency range', async () => {
		sim.setLatency({ min: 40, max: 60 });
		const started = performance.now();
		await completion(await ask('slow'));
		expect(performance.now() - started).toBeGreaterThanOrEqual(39);
	});

	it('runs a seeded random plan reproducibly', async () => {
		const run = async () => {
			sim.reset();
			sim.setFaults({ rate: 0.5, kinds: ['429', '500'], retryAfterS: 1, seed: 7 });
			const statuses = [];
			for (let i = 0; i < 12; i++) statuses.push((await ask('Hi')).status);
			return statuses;
		};
		const first = await run();
		expect(await run()).toEqual(first);
		expect(new Set(first).size).toBeGreaterThan(1);
	});

	it('accepts a function plan', async () => {
		sim.setFaults((_request, seq) => (seq === 1 ? { kind: 'status', status: 502 } : undefined));
		expect((await ask('Hi')).status).toBe(502);
		expect((await ask('Hi')).status).toBe(200);
	});
});

describe('control endpoints', () => {
	const control = (path: string, body?: unknown) =>
		fetch(`${sim.origin}/__sim/${path}`, {
			method: body === undefined ? 'GET' : 'POST',
			headers: { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});

	it('configures faults, reports requests and stats, and resets', async () => {
		expect((await control('config', { faults: { rate: 1, kinds: ['html'] } })).status).toBe(200);
		expect((await control('config', { faults: { rate: 1, kinds: ['429'], retryAfterS: 2 } })).status).toBe(200);
		const limited = await ask('Hi');
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('2');

		expect(await (await control('requests')).json()).toMatchObject([{ seq: 1, status: 429 }]);
		expect(await (await control('stats')).json()).toEqual({
			inFlight: 0,
			peakInFlight: 1,
			requests: 1,
			completions: 1,
			refused: { inFlight: 0, perMinute: 0 },
		});

		expect((await control('config', { latency: { min: 5, max: 1 } })).status).toBe(400);
		expect((await control('reset', {})).status).toBe(200);
		expect(sim.requests).toEqual([]);
		expect((await ask('Hi')).status).toBe(200);
	});
});

it('close() ends hung requests promptly', async () => {
	const other = await startSimulator();
	const arrived = new Promise<void>((resolve) =>
		other.setFaults(() => {
			resolve();
			return { kind: 'hang' };
		}),
	);
	const hung = fetch(`${other.url}/chat/completions`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', apikey: other.apiKey, mixTuningId: other.mixTuningId },
		body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] }),
	});
	await arrived;
	await other.close();
	await expect(hung).rejects.toThrow();
});

describe('plan limits', () => {
	it('refuses a completion beyond the in-flight limit at once, with Retry-After, before any latency', async () => {
		sim.setLatency(300);
		sim.setLimits({ maxInFlight: 2 });
		const held = [ask('one'), ask('two')];
		await sleep(50);
		const started = Date.now();
		const refused = await ask('three');

		expect(refused.status).toBe(429);
		expect(Date.now() - started).toBeLessThan(250);
		expect(refused.headers.get('retry-after')).toBe('1');
		expect((await Promise.all(held)).map((response) => response.status)).toEqual([200, 200]);
		expect((await ask('four')).status).toBe(200);
		expect(sim.refused).toEqual({ inFlight: 1, perMinute: 0 });
		expect(sim.completions().map((request) => request.fault)).toEqual([undefined, undefined, 'limit in-flight=2', undefined]);
	});

	it('holds one second of a per-minute plan, then refuses with the wait until the next token', async () => {
		sim.setLimits({ requestsPerMinute: 120 });
		const statuses = [];
		for (let index = 0; index < 3; index++) statuses.push((await ask(`call ${index}`)).status);
		const refused = await ask('one more');

		expect(statuses).toEqual([200, 200, 429]);
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get('retry-after-ms'))).toBeGreaterThan(0);
		expect(Number(refused.headers.get('retry-after-ms'))).toBeLessThanOrEqual(500);
		expect(sim.refused.perMinute).toBe(2);
	});

	it('takes limits over the control endpoint and lifts them with null', async () => {
		const config = (body: unknown) =>
			fetch(`${sim.origin}/__sim/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		expect((await config({ limits: { maxInFlight: -1 } })).status).toBe(400);
		expect((await config({ limits: { requestsPerMinute: 60 } })).status).toBe(200);
		expect((await ask('first')).status).toBe(200);
		expect((await ask('second')).status).toBe(429);
		expect((await config({ limits: null })).status).toBe(200);
		expect((await ask('third')).status).toBe(200);
	});
});
