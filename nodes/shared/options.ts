import type { INodeProperties } from 'n8n-workflow';

export const DEFAULT_MODEL = 'Humiris/humiris-moai';

/** A mixture-of-agents answer runs several models and can take minutes; n8n's HTTP Request node also waits 5 min. */
export const DEFAULT_TIMEOUT_MS = 300_000;

export const DEFAULT_MAX_RETRIES = 2;

export const DEFAULT_MAX_RETRY_WAIT_MS = 60_000;

/**
 * Long enough for a burst of webhook calls to queue through a small plan: 40 calls through
 * 8 slots at 2 s each need 10 s, a plan of 60 requests per minute serves 300 calls in it.
 */
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 300_000;

/** The Model parameter, the same on both nodes. */
export const modelProperty: INodeProperties = {
	displayName: 'Model',
	name: 'model',
	type: 'string',
	required: true,
	default: DEFAULT_MODEL,
	description: 'The model to call. Humiris routes it through your MixTuning configuration.',
};

export const frequencyPenaltyOption: INodeProperties = {
	displayName: 'Frequency Penalty',
	name: 'frequencyPenalty',
	type: 'number',
	typeOptions: { minValue: -2, maxValue: 2, numberPrecision: 1 },
	default: 0,
	description: 'Positive values make the model less likely to repeat the same words',
};

export const maxRetriesOption: INodeProperties = {
	displayName: 'Max Retries',
	name: 'maxRetries',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 10 },
	default: DEFAULT_MAX_RETRIES,
	description:
		'How many times to resend a request after a temporary failure (server error, refused connection). Only the failed request is resent. A rate-limit answer (429) is not counted: the request waits its turn again, up to Max Rate Limit Wait.',
};

export const maxRetryWaitOption: INodeProperties = {
	displayName: 'Max Retry Wait',
	name: 'maxRetryWait',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: DEFAULT_MAX_RETRY_WAIT_MS,
	description:
		'The longest single wait before a retry, in milliseconds. If Humiris asks to wait longer (Retry-After), the request fails with a clear error instead.',
};

export const maxRateLimitWaitOption: INodeProperties = {
	displayName: 'Max Rate Limit Wait',
	name: 'maxRateLimitWait',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: DEFAULT_MAX_RATE_LIMIT_WAIT_MS,
	description:
		"How long one request may wait for the rate limit in all, in milliseconds: for a free slot under the credential's limits, for a Retry-After, and again after each 429. Past it the item fails with RATE_LIMITED. Not counted in the Timeout.",
};

export const retryUnconfirmedOption: INodeProperties = {
	displayName: 'Retry Timeouts and Dropped Connections',
	name: 'retryUnconfirmed',
	type: 'boolean',
	default: false,
	description:
		'Whether to resend a request that timed out or whose connection dropped after it was sent. Humiris may already have processed and billed it, so a retry can pay twice; off, such a request fails instead.',
};

export const maxTokensOption: INodeProperties = {
	displayName: 'Maximum Tokens',
	name: 'maxTokens',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 1024,
	description:
		'The most tokens the answer may have. Unset, the model decides. An answer cut short ends with finish reason "length".',
};

export const mixTuningIdOption: INodeProperties = {
	displayName: 'MixTuning ID Override',
	name: 'mixTuningId',
	type: 'string',
	default: '',
	description: 'Use this MixTuning configuration instead of the one in the credential',
};

export const presencePenaltyOption: INodeProperties = {
	displayName: 'Presence Penalty',
	name: 'presencePenalty',
	type: 'number',
	typeOptions: { minValue: -2, maxValue: 2, numberPrecision: 1 },
	default: 0,
	description: 'Positive values make the model more likely to talk about new topics',
};

export const temperatureOption: INodeProperties = {
	displayName: 'Sampling Temperature',
	name: 'temperature',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 1 },
	default: 0.7,
	description: 'Higher values make the answers more varied, lower values more focused and repeatable',
};

export const seedOption: INodeProperties = {
	displayName: 'Seed',
	name: 'seed',
	type: 'number',
	default: 0,
	description: 'Ask for repeatable answers: the same seed and input should give the same answer',
};

export const stopOption: INodeProperties = {
	displayName: 'Stop Sequences',
	name: 'stop',
	type: 'string',
	typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Stop Sequence' },
	default: [],
	description: 'The model stops writing when it would produce one of these',
};

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1000 },
	default: DEFAULT_TIMEOUT_MS,
	description:
		'The longest one answer may take, in milliseconds, from sending the request to its last byte. A mixture-of-agents answer can take minutes; a request that times out may still be processed and billed.',
};

export const topPOption: INodeProperties = {
	displayName: 'Top P',
	name: 'topP',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
	default: 1,
	description:
		'Nucleus sampling: consider only the most likely tokens making up this probability mass. Change this or the temperature, not both.',
};

/** The options both nodes offer, with the same names and meaning. */
const sharedOptions: INodeProperties[] = [
	frequencyPenaltyOption,
	maxRateLimitWaitOption,
	maxRetriesOption,
	maxRetryWaitOption,
	maxTokensOption,
	mixTuningIdOption,
	presencePenaltyOption,
	seedOption,
	stopOption,
	temperatureOption,
	timeoutOption,
	topPOption,
];

/** A node's Options collection: its own options and the shared ones, in alphabetical order as n8n lists them. */
export function withSharedOptions(own: INodeProperties[]): INodeProperties[] {
	return [...own, ...sharedOptions].sort((a, b) => a.displayName.localeCompare(b.displayName));
}
