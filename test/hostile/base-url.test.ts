import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { HumirisApi } from '../../credentials/HumirisApi.credentials';
import { DEFAULT_BASE_URL } from '../../nodes/shared/defaults';
import { TRANSPORT_MESSAGES } from '../../nodes/shared/user-messages';
import { assertNoSecretLeak, testCredential, type RunResult } from '../engine';
import { probeOutput, runModel } from '../model/setup';
import { closedBaseUrl, expectLeakScanCoverage, outputJson, runChat, simulatorCredential } from '../node/setup';
import { COMPLETIONS_PATH, type Fault } from '../simulator';
import { NODES, useHostileSimulator, type Client } from './setup';

/**
 * A Base URL that carries secrets of its own: a proxy's basic auth and query values. They
 * must reach the Base URL (userinfo as basic auth, the query after the path) and appear in
 * nothing a user or admin reads afterwards. The harness guards every run for the URL's
 * password and query values (test/engine/credential-secrets.ts), as it does for the key.
 */
const sim = useHostileSimulator();
const CLIENTS: Client[] = [...NODES, 'credential test'];

const USER = 'proxy-user';
const PASSWORD = 'pw-Proxy-7f3a9c';
const FIRST_QUERY_VALUE = 'qv-apikey-5b21e8d0';
const SECOND_QUERY_VALUE = 'qv-code-c41f07aa';
const QUERY = `apikey=${FIRST_QUERY_VALUE}&code=${SECOND_QUERY_VALUE}`;
const SHOWN_QUERY = 'apikey=***&code=***';
const NO_RETRIES = { maxRetries: 0 };

/** `http://127.0.0.1:1234/api/v1` with the secrets put in: `http://user:pw@127.0.0.1:1234/api/v1?q`. */
function withSecrets(baseUrl: string, { password = PASSWORD, query = QUERY } = {}): string {
	return `${baseUrl.replace('://', `://${USER}:${password}@`)}?${query}`;
}

function shown(baseUrl: string, path = ''): string {
	return `${baseUrl.replace('://', `://${USER}:***@`)}${path}?${SHOWN_QUERY}`;
}

function basicAuth(user: string, password: string): string {
	return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** What one client said, and the run it came from (for the nodes). */
interface Said {
	status: 'OK' | 'Error';
	message: string;
	description?: string;
	code?: string;
	content?: string;
	result?: RunResult;
}

async function send(client: Client, baseUrl: string, options: IDataObject = NO_RETRIES): Promise<Said> {
	const credentials: ICredentialDataDecryptedObject = { baseUrl };
	switch (client) {
		case 'Humiris Chat': {
			const result = await runChat(sim(), { credentials, parameters: { options: options as INodeParameters }, continueOnFail: true });
			const [json] = outputJson(result);
			const error = json.error as IDataObject | undefined;
			if (!error) return { status: 'OK', message: '', content: String(json.content), result };
			return { status: 'Error', message: String(error.message), description: String(error.description), code: String(error.code), result };
		}
		case 'Humiris Chat Model': {
			const result = await runModel(sim(), { credentials, parameters: { options: options as INodeParameters } });
			if (!result.error) return { status: 'OK', message: '', content: String(probeOutput(result).text), result };
			const details = result.error.raw as { errorResponse?: IDataObject };
			return {
				status: 'Error',
				message: result.error.message,
				description: String(result.error.description),
				code: String(details.errorResponse?.code),
				result,
			};
		}
		case 'credential test': {
			const outcome = await testCredential(HumirisApi, simulatorCredential(sim(), credentials), { requestTimeoutMs: 3000 });
			return { status: outcome.status, message: outcome.message };
		}
	}
}

describe.each(CLIENTS)('%s, with a Base URL carrying basic auth and a query', (client) => {
	it('sends to the path with the query after it, the userinfo as basic auth, and answers', async () => {
		const said = await send(client, withSecrets(sim().url));

		expect(said).toMatchObject({ status: 'OK' });
		const [request] = sim().completions();
		expect(sim().completions()).toHaveLength(1);
		expect([request.path, request.query]).toEqual([COMPLETIONS_PATH, QUERY]);
		expect(request.headers.authorization).toBe(basicAuth(USER, PASSWORD));
		expect(request.headers.apikey).toBe(sim().apiKey);
	});

	it('sends a percent-encoded # in the password decoded, and a trailing slash before the query changes nothing', async () => {
		const said = await send(client, withSecrets(`${sim().url}/`, { password: 'pw%23hash-91c2' }));

		expect(said).toMatchObject({ status: 'OK' });
		const [request] = sim().completions();
		expect([request.path, request.query]).toEqual([COMPLETIONS_PATH, QUERY]);
		expect(request.headers.authorization).toBe(basicAuth(USER, 'pw#hash-91c2'));
	});
});

describe.each(NODES)('%s: what it says about a Base URL with secrets', (client) => {
	it('an unreachable host: named with the password and query values as ***', async () => {
		const closed = await closedBaseUrl();
		const said = await send(client, withSecrets(closed));

		expect(said).toMatchObject({
			status: 'Error',
			code: 'ECONNREFUSED',
			message: `Could not reach Humiris at ${shown(closed)}: the connection was refused. Check the Base URL in the Humiris API credential and that this n8n can reach it.`,
			description: `Network error ECONNREFUSED while calling ${shown(closed, '/chat/completions')}.`,
		});
	});

	it('a redirect to another origin: not followed, its description naming each address redacted', async () => {
		sim().setFaults((): Fault => ({ kind: 'redirect', status: 307, to: 'elsewhere' }));
		const said = await send(client, withSecrets(sim().url));
		const elsewhere = sim().elsewhere?.origin ?? '';

		expect(said).toMatchObject({
			status: 'Error',
			code: 'REDIRECT_CROSS_ORIGIN',
			message: `The Base URL redirected the request (HTTP 307) to another address, ${elsewhere}. The API key was not sent there. If you trust that address, put it in the Base URL of the Humiris API credential.`,
			description: `HTTP 307 from ${shown(sim().url, '/chat/completions')}, Location: ${elsewhere}${COMPLETIONS_PATH}. Not followed: only the Base URL's origin, ${sim().origin}, receives the API key.`,
		});
		expect(sim().elsewhere?.requests).toEqual([]);
	});

	it('a redirect within the origin: followed with the basic auth, and each hop named redacted', async () => {
		sim().setFaults((): Fault => ({ kind: 'redirect', status: 307, to: 'same' }));
		expect(await send(client, withSecrets(sim().url))).toMatchObject({ status: 'OK' });
		const [, second] = sim().completions();
		expect([second.query, second.headers.authorization]).toEqual(['redirected=1', basicAuth(USER, PASSWORD)]);

		sim().reset();
		sim().setFaults((): Fault => ({ kind: 'redirect', status: 303, to: 'same' }));
		const said = await send(client, withSecrets(sim().url));
		expect(said).toMatchObject({
			code: 'REDIRECT_CHANGES_METHOD',
			message: TRANSPORT_MESSAGES.methodChangingRedirect(303, `${sim().url.replace('://', `://${USER}:***@`)}/chat/completions?redirected=***`),
		});
		expect(said.message).toContain(`://${USER}:***@`);

		sim().reset();
		sim().setFaults((): Fault => ({ kind: 'redirect', status: 307, to: 'loop' }));
		const loop = await send(client, withSecrets(sim().url));
		const hop = `${sim().url.replace('://', `://${USER}:***@`)}/chat/completions`;
		expect(loop).toMatchObject({
			code: 'REDIRECT_LOOP',
			// The simulator's loop: the first hop (the Base URL's query) → ?loop=b → no query → ?loop=b.
			message: expect.stringContaining(`in a loop: ${hop}?loop=*** → ${hop} → ${hop}?loop=***.`),
		});
	});
});

describe('the credential test: what it says about a Base URL with secrets', () => {
	// n8n words a failed test by its network code or the answer's status, never the URL; the
	// harness guards the result and every log line for the URL's secrets.
	it('an unreachable host: the network code alone', async () => {
		expect(await send('credential test', withSecrets(await closedBaseUrl()))).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});

	it('a redirect to another origin: not followed, said by its status', async () => {
		sim().setFaults((): Fault => ({ kind: 'redirect', status: 307, to: 'elsewhere' }));

		expect(await send('credential test', withSecrets(sim().url))).toEqual({
			status: 'Error',
			message: TRANSPORT_MESSAGES.redirectInCredentialTest(307),
		});
		expect(sim().elsewhere?.requests).toEqual([]);
	});
});

/** Every value each client must refuse before sending, and the words the nodes use. */
const REFUSED: Array<[string, (url: string) => string, (url: string) => string]> = [
	[
		'a fragment',
		(url) => `${url}#section`,
		(url) =>
			`The Base URL of the Humiris API credential, ${url}#***, contains "#", which starts a fragment: a fragment is never sent, so what follows the # would be lost. If the # is part of a password or a query value, write it as %23; otherwise remove it and what follows it.`,
	],
	[
		'a # typed in the password',
		(url) => url.replace('://', `://${USER}:pw#unencoded-3d1@`),
		(url) =>
			`The Base URL of the Humiris API credential, ${url.replace('://', `://${USER}:***@`)}, contains "#", which starts a fragment: a fragment is never sent, so what follows the # would be lost. If the # is part of a password or a query value, write it as %23; otherwise remove it and what follows it.`,
	],
	[
		'no scheme',
		(url) => url.replace('http://', ''),
		(url) =>
			`The Base URL of the Humiris API credential, ${url.replace('http://', '')}, does not start with https:// or http://. Write it like ${DEFAULT_BASE_URL}, with https:// (or http:// for a proxy without TLS) in front.`,
	],
	[
		'ftp://',
		(url) => url.replace('http://', `ftp://${USER}:${PASSWORD}@`),
		(url) =>
			`The Base URL of the Humiris API credential, ${url.replace('http://', `ftp://${USER}:***@`)}, starts with ftp://, which the node cannot use: only https:// and http:// are. Write it like ${DEFAULT_BASE_URL}.`,
	],
	[
		'file://',
		() => 'file:///etc/hosts',
		() =>
			`The Base URL of the Humiris API credential, file:///etc/hosts, starts with file://, which the node cannot use: only https:// and http:// are. Write it like ${DEFAULT_BASE_URL}.`,
	],
];

describe.each(REFUSED)('a Base URL with %s', (_what, typed, words) => {
	it.each(NODES)('%s refuses it before sending, with the same words', async (client) => {
		const said = await send(client, typed(sim().url));

		expect(said).toMatchObject({ status: 'Error', message: words(sim().url) });
		// The Chat Model refuses when the Agent asks for it, as a configuration error without a code.
		if (client === 'Humiris Chat') expect(said.code).toBe('INVALID_BASE_URL');
		else expect(said.description).toBe('No request was sent.');
		expect(sim().requests).toEqual([]);
		if (said.result) assertNoSecretLeak(said.result, 'pw#unencoded-3d1', 'the run');
	});

	it('Humiris Chat refuses it for every item, each on its own, without continue on fail too', async () => {
		const result = await runChat(sim(), {
			credentials: { baseUrl: typed(sim().url) },
			items: [{ chatInput: 'a' }, { chatInput: 'b' }, { chatInput: 'c' }],
			continueOnFail: true,
		});
		expect(outputJson(result).map((json) => (json.error as IDataObject).code)).toEqual(Array(3).fill('INVALID_BASE_URL'));
		expect(outputJson(result)[1].error).toMatchObject({ message: words(sim().url), attempts: 0 });

		const failed = await runChat(sim(), { credentials: { baseUrl: typed(sim().url) } });
		expect(failed.error?.message).toBe(words(sim().url));
		expect(sim().requests).toEqual([]);
	});

	it('the credential test refuses it before sending', async () => {
		const said = await send('credential test', typed(sim().url));

		expect(said.status).toBe('Error');
		expect(sim().requests).toEqual([]);
	});
});

it('the credential test refuses an empty Base URL before sending, as both nodes do', async () => {
	const said = await send('credential test', '  ');

	expect(said.status).toBe('Error');
	expect(sim().requests).toEqual([]);
	expect(await send('Humiris Chat', '  ')).toMatchObject({ status: 'Error', code: 'INVALID_PARAMETER' });
	expect(sim().requests).toEqual([]);
});

expectLeakScanCoverage(['error', 'output', 'credential-test', 'log']);
