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

		await expect(authenticate(credentials, request)).resolves.toEqual({
			...snapshot,
			headers: { 'x-trace': 'abc', apikey: 'key-123', mixTuningId: 'mix-9' },
		});
		expect(request).toEqual(snapshot);
	});

	it('works on a request without headers and sends empty values rather than "undefined"', async () => {
		await expect(authenticate({}, { url: '/chat/completions' })).resolves.toEqual({
			url: '/chat/completions',
			headers: { apikey: '', mixTuningId: '' },
		});
	});
});
