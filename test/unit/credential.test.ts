import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { HumirisApi } from '../../credentials/HumirisApi.credentials';

const credentials = { apiKey: 'key-123', mixTuningId: 'mix-9', baseUrl: 'https://example.test/api/v1' };

describe('the credential authenticate function', () => {
	const credential = new HumirisApi();
	const authenticate = (data: ICredentialDataDecryptedObject, request: IHttpRequestOptions) =>
		credential.authenticate(data, request);

	it('adds the apikey and mixTuningId headers, keeping the request and its own headers', async () => {
		const request: IHttpRequestOptions = {
			method: 'POST',
			url: 'https://example.test/api/v1/chat/completions',
			body: { model: 'm' },
			headers: { 'x-trace': 'abc' },
			timeout: 5000,
		};
		const snapshot = structuredClone(request);

		const { abortSignal, ...rest } = await authenticate(credentials, request);
		expect(rest).toEqual({
			...snapshot,
			headers: { 'x-trace': 'abc', apikey: 'key-123', mixTuningId: 'mix-9' },
			disableFollowRedirect: true,
		});
		expect(abortSignal?.aborted).toBe(false);
		expect(request).toEqual(snapshot);
	});

	it('works on a request without headers', async () => {
		const { abortSignal, ...rest } = await authenticate(credentials, { url: '/chat/completions' });
		expect(rest).toEqual({
			url: '/chat/completions',
			headers: { apikey: 'key-123', mixTuningId: 'mix-9' },
			disableFollowRedirect: true,
		});
		expect(abortSignal?.aborted).toBe(false);
	});

	// The Test button reaches Humiris only through here: a blank field is answered in the
	// nodes' words instead of going out as an empty header.
	it.each([
		['an API Key', { ...credentials, apiKey: '' }, /^The "API Key" field of the Humiris API credential is empty\./],
		['a MixTuning ID', { ...credentials, mixTuningId: '  ' }, /^The MixTuning ID in the Humiris API credential is empty\./],
		['a missing MixTuning ID', { apiKey: 'key-123' }, /^The MixTuning ID in the Humiris API credential is empty\./],
	])('refuses a blank %s by its name', async (_name, data, message) => {
		await expect(authenticate(data, { url: '/chat/completions' })).rejects.toThrow(message);
	});

	it("keeps the caller's signal: the nodes put their own deadline in it", async () => {
		const signal = new AbortController().signal;
		const authenticated = await authenticate(credentials, { url: '/chat/completions', abortSignal: signal, timeout: 10 });
		expect(authenticated.abortSignal).toBe(signal);
	});

	it('gives a request that has no signal its timeout as a deadline for the whole answer', async () => {
		const { abortSignal } = await authenticate(credentials, { url: '/chat/completions', timeout: 20 });
		await new Promise((resolve) => (abortSignal as AbortSignal).addEventListener('abort', resolve, { once: true }));
		expect(abortSignal?.aborted).toBe(true);
	});
});
