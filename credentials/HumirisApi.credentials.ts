import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

export const DEFAULT_BASE_URL = 'https://moai-service-app.humiris.ai/api/v1';

export class HumirisApi implements ICredentialType {
	name = 'humirisApi';

	displayName = 'Humiris API';

	icon: Icon = { light: 'file:../icons/humiris.svg', dark: 'file:../icons/humiris.dark.svg' };

	documentationUrl = 'https://github.com/humiris/n8n-nodes-humiris#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your Humiris API key, from the API Keys page of your Humiris dashboard',
		},
		{
			displayName: 'MixTuning ID',
			name: 'mixTuningId',
			type: 'string',
			required: true,
			default: '',
			description:
				'The ID of the MixTuning configuration (Mix Model) to use, from the MixTuning page of your Humiris dashboard. A Humiris Chat node can override it.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: DEFAULT_BASE_URL,
			description: 'Change only to go through a proxy or a self-hosted gateway',
		},
	];

	// A function rather than generic `={{$credentials.apiKey}}` headers: n8n resolves a generic
	// authenticate in its expression sandbox on every request. A/B in `npm run bench` (section 6,
	// figures in bench/README.md): at zero latency the generic form costs about 0.7 ms more per
	// item, two thirds of the node's whole per-item cost. Pure: it only adds the two headers.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				apikey: String(credentials.apiKey ?? ''),
				mixTuningId: String(credentials.mixTuningId ?? ''),
			},
		};
	}

	// The API has no cheap "who am I" endpoint, so the test is the smallest completion it
	// accepts; each rule names the one field the user has to fix.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/chat/completions',
			method: 'POST',
			body: {
				model: 'Humiris/humiris-moai',
				messages: [{ role: 'user', content: 'ping' }],
				max_tokens: 1,
			},
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Humiris rejected the API Key (401 Unauthorized). Copy the key again from your Humiris dashboard.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'Humiris does not know this MixTuning ID (404 MixTuningNotFound), or the Base URL does not end in /api/v1. Check the MixTuning ID in your Humiris dashboard.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 400,
					message:
						'Humiris says the MixTuning ID is missing (400 Bad Request). Fill in the MixTuning ID field.',
				},
			},
		],
	};
}
