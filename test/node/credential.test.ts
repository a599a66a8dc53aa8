import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { HumirisApi } from '../../credentials/HumirisApi.credentials';
import { USER_MESSAGES } from '../../nodes/shared/user-messages';
import { testCredential } from '../engine';
import { closedBaseUrl, expectLeakScanCoverage, useSimulator } from './setup';

const simulator = useSimulator();

const SMALLEST_COMPLETION = {
	model: 'Humiris/humiris-moai',
	messages: [{ role: 'user', content: 'ping' }],
	max_tokens: 1,
};

function credential(data: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	const sim = simulator();
	return { apiKey: sim.apiKey, mixTuningId: sim.mixTuningId, baseUrl: sim.url, ...data };
}

describe('the Humiris API credential test', () => {
	it('succeeds with good values, sending the smallest completion the API accepts', async () => {
		const sim = simulator();

		await expect(testCredential(HumirisApi, credential())).resolves.toMatchObject({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(sim.completions()).toHaveLength(1);
		const [request] = sim.completions();
		expect(request.body).toEqual(SMALLEST_COMPLETION);
		expect([request.headers.apikey, request.headers.mixtuningid]).toEqual([sim.apiKey, sim.mixTuningId]);
	});

	it('accepts a Base URL typed with a trailing slash', async () => {
		const sim = simulator();

		await expect(testCredential(HumirisApi, credential({ baseUrl: `${sim.url}/` }))).resolves.toMatchObject({
			status: 'OK',
		});
		expect(sim.completions()).toHaveLength(1);
	});

	it.each<[string, () => ICredentialDataDecryptedObject, string]>([
		[
			'a wrong API key',
			() => credential({ apiKey: 'dummy-wrong-key-0000' }),
			USER_MESSAGES.unauthorized,
		],
		[
			'an unknown MixTuning ID',
			() => credential({ mixTuningId: 'mix-nobody-made' }),
			USER_MESSAGES.notFound,
		],
		[
			'a Base URL that does not end in /api/v1',
			() => credential({ baseUrl: simulator().origin }),
			USER_MESSAGES.notFound,
		],
	])('names the field to fix for %s', async (_name, data, message) => {
		await expect(testCredential(HumirisApi, data())).resolves.toMatchObject({ status: 'Error', message });
		// n8n sends a request that got a 401 once more, in case the credential can refresh itself.
		const bodies = simulator().requests.map(({ body }) => body);
		expect(bodies.length).toBeGreaterThan(0);
		expect(bodies).toEqual(bodies.map(() => SMALLEST_COMPLETION));
	});

	it('names the field to fix for an empty MixTuning ID, without sending it', async () => {
		await expect(testCredential(HumirisApi, credential({ mixTuningId: '' }))).resolves.toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/^The MixTuning ID in the Humiris API credential is empty\. Open the credential/),
		});
		expect(simulator().requests).toHaveLength(0);
	});

	it('shows the network error when nothing listens at the Base URL', async () => {
		const baseUrl = await closedBaseUrl();

		await expect(testCredential(HumirisApi, credential({ baseUrl }))).resolves.toMatchObject({
			status: 'Error',
			message: 'ECONNREFUSED',
		});
	});
});

expectLeakScanCoverage(['credential-test', 'log']);
