import type { RetryPolicy } from '../transport/retry';
import { headerSafe } from './header-value';
import { booleanSetting, numberSetting, optionalTextSetting, textSetting, type SettingValues } from './setting';

/** The longest wait any option allows: an hour, well inside what a timer can hold. */
const HOUR_MS = 3_600_000;

export const DEFAULT_MODEL = 'Humiris/humiris-moai';

/** The Model field, the same on both nodes. */
export const MODEL_SETTING = textSetting({
	name: 'model',
	displayName: 'Model',
	place: 'field',
	default: DEFAULT_MODEL,
	description: 'The model to call. Humiris routes it through your MixTuning configuration.',
	extra: { required: true },
});

/** A mixture-of-agents answer runs several models and can take minutes; n8n's HTTP Request node also waits 5 min. */
export const DEFAULT_TIMEOUT_MS = 300_000;

export const MIX_TUNING_ID_MISSING = 'MIX_TUNING_ID_MISSING';

/** What each request of both nodes carries besides the messages: read per item by Humiris Chat. */
export const REQUEST_SETTINGS = {
	mixTuningId: optionalTextSetting({
		name: 'mixTuningId',
		displayName: 'MixTuning ID Override',
		default: '',
		description:
			"Use this MixTuning configuration instead of the one in the credential. If an expression here comes out empty, the request is not sent: it never falls back to the credential's.",
		whenEmpty: {
			code: MIX_TUNING_ID_MISSING,
			message:
				"The node's MixTuning ID Override is empty for this item. Fill it in, or remove the option to use the credential's MixTuning ID.",
		},
		check: headerSafe('MixTuning ID Override', 'option', 'Copy the ID again from the MixTuning page of your Humiris dashboard.'),
	}),
	timeout: numberSetting({
		name: 'timeout',
		displayName: 'Timeout',
		default: DEFAULT_TIMEOUT_MS,
		min: 1,
		max: HOUR_MS,
		integer: true,
		unit: 'milliseconds',
		description:
			'The longest one answer may take, in milliseconds (up to 3,600,000, one hour), from sending the request to its last byte. A mixture-of-agents answer can take minutes; a request that times out may still be processed and billed.',
	}),
};

/** How hard a request is tried: Humiris Chat reads these once per run, the Chat Model per call. */
export const RETRY_SETTINGS = {
	maxRetries: numberSetting({
		name: 'maxRetries',
		displayName: 'Max Retries',
		default: 2,
		min: 0,
		max: 10,
		integer: true,
		description:
			'How many times to resend a request after a temporary failure (server error, refused connection). Only the failed request is resent. A rate-limit answer (429) is not counted: the request waits its turn again, up to Max Rate Limit Wait.',
	}),
	maxRetryWait: numberSetting({
		name: 'maxRetryWait',
		displayName: 'Max Retry Wait',
		default: 60_000,
		min: 0,
		max: HOUR_MS,
		integer: true,
		unit: 'milliseconds',
		description:
			'The longest single wait before a retry, in milliseconds (up to one hour). If Humiris asks to wait longer (Retry-After), the request fails with a clear error instead.',
	}),
	// Long enough for a burst of webhook calls to queue through a small plan: 40 calls through
	// 8 slots at 2 s each need 10 s, a plan of 60 requests per minute serves 300 calls in it.
	maxRateLimitWait: numberSetting({
		name: 'maxRateLimitWait',
		displayName: 'Max Rate Limit Wait',
		default: 300_000,
		min: 0,
		max: HOUR_MS,
		integer: true,
		unit: 'milliseconds',
		description:
			"How long one request may wait for the rate limit in all, in milliseconds (up to one hour): for a free slot under the credential's limits, for a Retry-After, and again after each 429. Past it the item fails with RATE_LIMITED. Not counted in the Timeout.",
	}),
	retryUnconfirmed: booleanSetting({
		name: 'retryUnconfirmed',
		displayName: 'Retry Timeouts and Dropped Connections',
		default: false,
		description:
			'Whether to resend a request that timed out or whose connection dropped after it was sent. Humiris may already have processed and billed it, so a retry can pay twice; off, such a request fails instead.',
	}),
};

export function retryPolicy(values: SettingValues<typeof RETRY_SETTINGS>): RetryPolicy {
	return {
		maxRetries: values.maxRetries,
		maxWaitMs: values.maxRetryWait,
		maxRateLimitWaitMs: values.maxRateLimitWait,
		retryUnconfirmed: values.retryUnconfirmed,
	};
}
