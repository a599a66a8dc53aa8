import type { IDataObject } from 'n8n-workflow';

import { MAX_REDIRECTS } from '../../nodes/shared/transport/redirects';
import { TRANSPORT_MESSAGES } from '../../nodes/shared/user-messages';
import { expectLeakScanCoverage } from '../node/setup';
import { COMPLETIONS_PATH, ELSEWHERE_ANSWER, type Simulator } from '../simulator';
import { against, MARGIN_MS, NODES, TIMEOUT_MS, useHostileSimulator, type Client } from './setup';

/**
 * A Base URL that redirects, the way a moved API, a misconfigured proxy or an attacker does.
 * The key may go to the Base URL's origin only: what reaches the other one is recorded.
 */
const sim = useHostileSimulator();
const CLIENTS: Client[] = [...NODES, 'credential test'];
const ALL_REDIRECTS = [301, 302, 303, 307, 308];

function elsewhere(): NonNullable<Simulator['elsewhere']> {
	const other = sim().elsewhere;
	if (!other) throw new Error('the simulator has no second listener');
	return other;
}

const completionUrl = (query = '') => `${sim().origin}${COMPLETIONS_PATH}${query}`;

describe('the recorder on the other origin', () => {
	it('receives the key from a client that follows redirects as n8n does by default (the control)', async () => {
		sim().setFaults(() => ({ kind: 'redirect', status: 307, to: 'elsewhere' }));
		// fetch, like n8n's redirect handling, keeps custom headers across origins.
		const response = await fetch(completionUrl(), {
			method: 'POST',
			headers: { 'content-type': 'application/json', apikey: sim().apiKey, mixtuningid: sim().mixTuningId },
			body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
		});

		expect(((await response.json()) as IDataObject).choices).toMatchObject([{ message: { content: ELSEWHERE_ANSWER } }]);
		expect(elsewhere().requests.map(({ headers }) => headers.apikey)).toEqual([sim().apiKey]);
	});
});

describe.each(CLIENTS)('%s, redirected to another origin (127.0.0.2)', (client) => {
	it.each(ALL_REDIRECTS)('HTTP %i: not followed, the key not sent there, and said so', async (status) => {
		const outcome = await against(sim(), client, { kind: 'redirect', status, to: 'elsewhere' });

		expect(elsewhere().requests).toEqual([]);
		expect(outcome).toMatchObject({
			status: 'Error',
			message:
				client === 'credential test'
					? TRANSPORT_MESSAGES.redirectInCredentialTest(status)
					: TRANSPORT_MESSAGES.crossOriginRedirect(status, elsewhere().origin),
		});
		if (client !== 'credential test') expect(outcome.code).toBe('REDIRECT_CROSS_ORIGIN');
		expect(sim().completions()).toHaveLength(1);
		expect(outcome.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
	});
});

describe.each(NODES)('%s, redirected within the Base URL\'s origin', (client) => {
	it.each([307, 308])('HTTP %i: followed, with the same POST, its body and the key, to the answer', async (status) => {
		const outcome = await against(sim(), client, { kind: 'redirect', status, to: 'same' });

		expect(outcome).toMatchObject({ status: 'OK', content: 'MoAI answer to: Hello' });
		const [first, second] = sim().completions();
		expect(sim().completions()).toHaveLength(2);
		expect([second.method, second.query, second.headers.apikey]).toEqual(['POST', 'redirected=1', sim().apiKey]);
		expect(second.body).toEqual(first.body);
		expect(outcome.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
	});

	it.each([301, 302, 303])('HTTP %i: reported as a redirect that turns the POST into a GET, naming where', async (status) => {
		const outcome = await against(sim(), client, { kind: 'redirect', status, to: 'same' });

		expect(outcome).toMatchObject({
			status: 'Error',
			code: 'REDIRECT_CHANGES_METHOD',
			message: TRANSPORT_MESSAGES.methodChangingRedirect(status, completionUrl('?redirected=1')),
		});
		// No GET follows, which would end in a 405 named as if Humiris refused the method.
		expect(sim().requests.map(({ method }) => method)).toEqual(['POST']);
		expect(outcome.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
	});

	it('a loop: named as a loop, with its URLs, after one round', async () => {
		const outcome = await against(sim(), client, { kind: 'redirect', status: 307, to: 'loop' });

		expect(outcome).toMatchObject({
			status: 'Error',
			code: 'REDIRECT_LOOP',
			message: TRANSPORT_MESSAGES.redirectLoop([completionUrl(), completionUrl('?loop=b'), completionUrl()]),
		});
		expect(sim().completions()).toHaveLength(2);
		expect(outcome.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
	});

	it(`a chain that never answers: given up after ${MAX_REDIRECTS} hops, naming the last address`, async () => {
		const outcome = await against(sim(), client, { kind: 'redirect', status: 308, to: 'onward' });

		expect(outcome).toMatchObject({
			status: 'Error',
			code: 'TOO_MANY_REDIRECTS',
			message: TRANSPORT_MESSAGES.tooManyRedirects(MAX_REDIRECTS + 1, completionUrl(`?hop=${MAX_REDIRECTS + 1}`)),
		});
		expect(sim().completions()).toHaveLength(MAX_REDIRECTS + 1);
		expect(outcome.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
	});
});

describe('the credential test, redirected within the origin', () => {
	// n8n's test API matches an error by its status only: it cannot read Location, so it
	// cannot tell a same-origin hop from another origin, and follows neither.
	it.each([
		[307, 'same'],
		[308, 'same'],
		[303, 'same'],
		[307, 'loop'],
	] as const)('HTTP %i to=%s: reported by its status, not followed', async (status, to) => {
		const outcome = await against(sim(), 'credential test', { kind: 'redirect', status, to });

		expect(outcome).toMatchObject({ status: 'Error', message: TRANSPORT_MESSAGES.redirectInCredentialTest(status) });
		expect(sim().completions()).toHaveLength(1);
		expect(outcome.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
	});
});

expectLeakScanCoverage(['error', 'output', 'credential-test']);
