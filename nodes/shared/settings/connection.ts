import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { DEFAULT_BASE_URL } from '../defaults';
import { checkBaseUrl } from '../transport/base-url';
import { trimBaseUrl } from '../transport/request';
import { headerSafe } from './header-value';
import { MIX_TUNING_ID_MISSING } from './request';
import { numberSetting, readSettings, textSetting } from './setting';

const COPY_THE_ID = 'Copy the ID again from the MixTuning page of your Humiris dashboard.';

/** The Humiris API credential's fields: the credential shows them, both nodes read them. */
export const CONNECTION_SETTINGS = {
	apiKey: textSetting({
		name: 'apiKey',
		displayName: 'API Key',
		place: 'credential',
		default: '',
		description: 'Your Humiris API key, from the API Keys page of your Humiris dashboard',
		extra: { typeOptions: { password: true }, required: true },
		check: headerSafe('API Key', 'credential', 'Open the credential and paste the key again from your Humiris dashboard.'),
	}),
	mixTuningId: textSetting({
		name: 'mixTuningId',
		displayName: 'MixTuning ID',
		place: 'credential',
		default: '',
		description:
			"The ID of the MixTuning configuration (Mix Model) to use, from the MixTuning page of your Humiris dashboard. A node's MixTuning ID Override replaces it.",
		extra: { required: true },
		whenEmpty: {
			code: MIX_TUNING_ID_MISSING,
			message:
				'The MixTuning ID in the Humiris API credential is empty. Open the credential and fill in the MixTuning ID field from the MixTuning page of your Humiris dashboard.',
		},
		check: headerSafe('MixTuning ID', 'credential', COPY_THE_ID),
	}),
	baseUrl: textSetting({
		name: 'baseUrl',
		displayName: 'Base URL',
		place: 'credential',
		default: DEFAULT_BASE_URL,
		description:
			'Change only to go through a proxy or a self-hosted gateway. A query (?code=…) is kept, after /chat/completions; user:password@ is sent as HTTP basic auth; messages show the password and query values as ***.',
		extra: { required: true },
	}),
	maxConcurrent: numberSetting({
		name: 'maxConcurrent',
		displayName: 'Max Concurrent Requests',
		place: 'credential',
		default: 0,
		min: 0,
		max: 1_000,
		integer: true,
		description:
			"Your plan's limit of requests in flight at once, shared by every workflow and node using this credential. 0 learns it from Humiris's rate-limit answers. The bound is per n8n process: with queue-mode workers, divide the plan's limit by the number of processes.",
	}),
	requestsPerMinute: numberSetting({
		name: 'requestsPerMinute',
		displayName: 'Max Requests per Minute',
		place: 'credential',
		default: 0,
		min: 0,
		max: 100_000,
		integer: true,
		description:
			"Your plan's limit of requests per minute, shared by every workflow and node using this credential; requests are spaced evenly to stay under it. 0 sets no cap. The bound is per n8n process: with queue-mode workers, divide the plan's limit by the number of processes.",
	}),
};

/** The credential as the nodes send it: every field checked, the text ones trimmed. */
export interface Connection {
	credentials: ICredentialDataDecryptedObject;
	baseUrl: string;
	/** What no output, error or log line may show: the key, the Base URL's password and query values. */
	secrets: string[];
}

/** What no output, error or log line may show, read from the credential as it came: the key, the Base URL's password and query values. */
export function secretsOf(credentials: ICredentialDataDecryptedObject): string[] {
	const baseUrl = checkBaseUrl(credentials.baseUrl);
	return [String(credentials.apiKey ?? '').trim(), ...(baseUrl.ok ? baseUrl.url.secrets : [])];
}

/**
 * Checks the credential before any request. A MixTuning ID blank in the credential is
 * refused only once the node knows no override replaces it (mixTuningIdFor).
 */
export function readConnection(credentials: ICredentialDataDecryptedObject): Connection {
	const { apiKey, baseUrl: baseUrlSetting, maxConcurrent, requestsPerMinute } = CONNECTION_SETTINGS;
	const values = readSettings(credentials, { apiKey, baseUrl: baseUrlSetting, maxConcurrent, requestsPerMinute });
	const baseUrl = trimBaseUrl(values.baseUrl);
	return {
		credentials: { ...credentials, ...values, baseUrl },
		baseUrl,
		secrets: secretsOf(credentials),
	};
}

/**
 * The credentials one request goes out with. An override that came out blank is refused
 * like a blank credential field: falling back would quietly send the item to another
 * configuration than the one the user named.
 */
export function mixTuningIdFor(connection: Connection, override: string | undefined): ICredentialDataDecryptedObject {
	const mixTuningId = override ?? CONNECTION_SETTINGS.mixTuningId.read(connection.credentials.mixTuningId);
	return { ...connection.credentials, mixTuningId };
}
