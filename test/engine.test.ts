import { EchoApi, EchoApiWithBodyRule } from './engine/fixtures/echo-credential';
import { Echo } from './engine/fixtures/echo-node';
import type { EchoServer } from './engine/fixtures/echo-server';
import { startEchoServer } from './engine/fixtures/echo-server';
import type { NodeSpec, RunWorkflowOptions } from './engine';
import {
	SecretLeakError,
	assertNoSecretLeak,
	runWorkflow,
	scanSummary,
	testCredential,
} from './engine';

const API_KEY = 'dummy-echo-key-5f0c2d9a81e34b7c';

let server: EchoServer;

beforeEach(async () => {
	server = await startEchoServer();
});

afterEach(async () => {
	await server.close();
});

function run(node: NodeSpec, extra: Partial<RunWorkflowOptions> = {}) {
	return runWorkflow({
		nodeTypes: [Echo],
		credentialTypes: [EchoApi],
		credentials: { echoApi: { apiKey: API_KEY, baseUrl: server.url } },
		node,
		...extra,
	});
}

describe('runWorkflow', () => {
	it('runs the node through the engine, authenticating with the credential header', async () => {
		const result = await run(
			{ type: 'echo', parameters: { path: '={{ "/item/" + $json.n }}' } },
			{ items: [{ n: 1 }, { n: 2 }] },
		);

		expect(result.status).toBe('success');
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([
			[
				{ json: { path: '/item/1', body: { n: 1 } }, pairedItem: { item: 0 } },
				{ json: { path: '/item/2', body: { n: 2 } }, pairedItem: { item: 1 } },
			],
		]);
		expect(server.requests.map(({ headers }) => headers['x-api-key'])).toEqual([API_KEY, API_KEY]);
		expect(result.logs.map(({ message }) => message)).toContain('Start executing node "Echo"');
	});

	it('surfaces a failing item as the execution error, with its item index', async () => {
		const result = await run(
			{ type: 'echo', parameters: { path: '={{ $json.path }}' } },
			{ items: [{ path: '/fine' }, { path: '/status/500' }] },
		);

		expect(result.status).toBe('error');
		expect(result.items).toEqual([]);
		expect(result.error).toMatchObject({
			description: 'Request failed with status code 500',
			itemIndex: 1,
			node: 'Echo',
		});
		expect(result.runData.Echo[0].error?.message).toBe(result.error?.message);
	});

	it('puts the failure on the item when the node continues on fail', async () => {
		const result = await run(
			{ type: 'echo', parameters: { path: '={{ $json.path }}' }, onError: 'continueRegularOutput' },
			{ items: [{ path: '/fine' }, { path: '/status/500' }] },
		);

		expect(result.status).toBe('success');
		expect(result.items[0][1]).toEqual({
			json: { error: expect.any(String) },
			pairedItem: { item: 1 },
		});
	});

	it('chains nodes that share one saved credential', async () => {
		const result = await runWorkflow({
			nodeTypes: [Echo],
			credentialTypes: [EchoApi],
			credentials: { echoApi: { apiKey: API_KEY, baseUrl: server.url } },
			items: [{ n: 1 }],
			nodes: [{ type: 'echo' }, { type: 'echo', parameters: { path: '/second' } }],
		});

		expect(result.nodeNames).toEqual(['Echo', 'Echo1']);
		expect(result.items[0][0].json).toEqual({
			path: '/second',
			body: { path: '/echo', body: { n: 1 } },
		});
		expect(result.runData.Echo1[0].source).toEqual([
			expect.objectContaining({ previousNode: 'Echo' }),
		]);
	});

	it('stops a running execution when its signal aborts, like the Stop button', async () => {
		const controller = new AbortController();
		const running = run(
			{ type: 'echo', parameters: { path: '={{ $json.path }}' } },
			{ items: [{ path: '/delay/60000' }, { path: '/never' }], signal: controller.signal },
		);
		await server.received(1);
		controller.abort();
		const result = await running;
		await server.settled();

		expect(result.status).toBe('canceled');
		expect(server.requests.map(({ path, abandoned }) => ({ path, abandoned }))).toEqual([
			{ path: '/delay/60000', abandoned: true },
		]);
	});

	it('fails the run when the API key reaches anything a user can see', async () => {
		const leaking = run({ type: 'echo', parameters: { path: '/echo-headers' } });

		await expect(leaking).rejects.toThrow(SecretLeakError);
		await expect(leaking).rejects.toThrow(
			/output of "Echo" run 0 at data\.main\[0\]\[0\]\.json\.headers\["x-api-key"\]/,
		);
		await expect(leaking).rejects.not.toThrow(API_KEY);
	});
});

describe('assertNoSecretLeak', () => {
	it('finds the secret in error messages, object keys and URL-encoded text', () => {
		const secret = 'k3y/with+chars';
		const inMessage = new Error(`bad key ${secret}`);

		expect(() => assertNoSecretLeak({ error: inMessage }, secret)).toThrow(
			/value at error\.message/,
		);
		expect(() => assertNoSecretLeak({ [secret]: 1 }, secret)).toThrow(/a key/);
		expect(() => assertNoSecretLeak(`?key=${encodeURIComponent(secret)}`, secret)).toThrow(
			SecretLeakError,
		);
		expect(() => assertNoSecretLeak({ ok: ['nothing', 42, null] }, secret)).not.toThrow();
	});
});

describe('testCredential', () => {
	const credential = (path = '') => ({ apiKey: API_KEY, baseUrl: `${server.url}${path}` });

	it('sends the test request with the credential applied', async () => {
		await expect(testCredential(EchoApi, credential())).resolves.toMatchObject({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/check' });
		expect(server.requests[0].headers['x-api-key']).toBe(API_KEY);
	});

	it('shows the matching status rule, else the HTTP status text', async () => {
		await expect(testCredential(EchoApi, credential('/status/401'))).resolves.toMatchObject({
			status: 'Error',
			message: 'The API key was rejected',
		});
		await expect(testCredential(EchoApi, credential('/status/403'))).resolves.toMatchObject({
			status: 'Error',
			message: 'Forbidden',
		});
	});

	it('shows a body rule that matches a successful response', async () => {
		await expect(
			testCredential(EchoApiWithBodyRule, credential('/flag/revoked')),
		).resolves.toMatchObject({
			status: 'Error',
			message: 'The API key was revoked',
		});
	});

	it('shows the network error code when nothing answers', async () => {
		const closed = await startEchoServer();
		await closed.close();

		await expect(
			testCredential(EchoApi, { apiKey: API_KEY, baseUrl: closed.url }),
		).resolves.toMatchObject({
			status: 'Error',
			message: 'ECONNREFUSED',
		});
	});
});

describe('leak guard coverage', () => {
	it('scanned outputs, errors, log lines and credential test results', () => {
		const summary = scanSummary();

		expect(summary.output).toBeGreaterThan(0);
		expect(summary.error).toBeGreaterThan(0);
		expect(summary.log).toBeGreaterThan(0);
		expect(summary['credential-test']).toBeGreaterThan(0);
	});
});
