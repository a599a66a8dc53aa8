/**
 * Every field a user can fill × the values that must be refused (or taken) before anything
 * is sent: wrong types, out of range, empty, blank, huge, header-unsafe characters, names n8n
 * drops. `message` is what the user must read; the suites check both nodes give it alike.
 */

export interface BadValue {
	value: unknown;
	/** What the user reads; undefined where the value is taken (a number where text is asked). */
	message?: RegExp;
	code?: string;
}

/** Stands for the simulator's own MixTuning ID, known only once it runs. */
export const SIM_MIX_TUNING_ID = 'the simulator\'s MixTuning ID';

export interface FieldCase {
	/** The parameter's path: `options.timeout`, `model`, or a credential field. */
	field: string;
	/** Where it is read: per item (Humiris Chat), once per run, or from the credential. */
	scope: 'item' | 'run' | 'credential';
	/** Which node offers it. */
	nodes: Array<'chat' | 'model'>;
	/** A value that is accepted, for the items around the bad one. */
	good: unknown;
	bad: BadValue[];
	/** Other options the field needs to matter (Result Field Name needs Keep Input Fields). */
	with?: Record<string, unknown>;
}

const BOTH: FieldCase['nodes'] = ['chat', 'model'];
const CHAT: FieldCase['nodes'] = ['chat'];

const range = (label: string, rule: string) => new RegExp(`^The "${label}" (option|field) must be ${rule}, but it is `);

const WHOLE_MS = (label: string, max: string, min = '0') =>
	range(label, `a whole number of milliseconds from ${min} to ${max}`);

const header = (label: string, what: string) =>
	new RegExp(`^The "${label}" (option|field of the Humiris API credential) contains ${what}, a character that cannot be sent in an HTTP header\\.`);

export const CASES: FieldCase[] = [
	{
		field: 'options.timeout',
		scope: 'item',
		nodes: BOTH,
		good: 20_000,
		bad: [
			{ value: 1e10, message: WHOLE_MS('Timeout', '3,600,000', '1') },
			{ value: -1000, message: WHOLE_MS('Timeout', '3,600,000', '1') },
			{ value: 0, message: WHOLE_MS('Timeout', '3,600,000', '1') },
			{ value: 2.5, message: WHOLE_MS('Timeout', '3,600,000', '1') },
			{ value: 'abc', message: /^The "Timeout" option .* but it is the text "abc"\./ },
			{ value: '   ', message: /^The "Timeout" option .* but it is empty\./ },
		],
	},
	{
		field: 'options.temperature',
		scope: 'item',
		nodes: BOTH,
		good: 0.3,
		bad: [
			{ value: 'abc', message: range('Sampling Temperature', 'a number from 0 to 2') },
			{ value: -1, message: range('Sampling Temperature', 'a number from 0 to 2') },
			{ value: 3, message: range('Sampling Temperature', 'a number from 0 to 2') },
		],
	},
	{
		field: 'options.topP',
		scope: 'item',
		nodes: BOTH,
		good: 0.9,
		bad: [
			{ value: 5, message: range('Top P', 'a number from 0 to 1') },
			{ value: -0.1, message: range('Top P', 'a number from 0 to 1') },
		],
	},
	{
		field: 'options.maxTokens',
		scope: 'item',
		nodes: BOTH,
		good: 100,
		bad: [
			{ value: 0, message: range('Maximum Tokens', 'a whole number of tokens from 1 to 1,000,000') },
			{ value: -5, message: range('Maximum Tokens', 'a whole number of tokens from 1 to 1,000,000') },
			{ value: 1e12, message: range('Maximum Tokens', 'a whole number of tokens from 1 to 1,000,000') },
			{ value: 2.5, message: range('Maximum Tokens', 'a whole number of tokens from 1 to 1,000,000') },
		],
	},
	{
		field: 'options.frequencyPenalty',
		scope: 'item',
		nodes: BOTH,
		good: 0.5,
		bad: [
			{ value: 3, message: range('Frequency Penalty', 'a number from -2 to 2') },
			{ value: -2.5, message: range('Frequency Penalty', 'a number from -2 to 2') },
		],
	},
	{
		field: 'options.presencePenalty',
		scope: 'item',
		nodes: BOTH,
		good: -0.5,
		bad: [
			{ value: 9, message: range('Presence Penalty', 'a number from -2 to 2') },
			{ value: 'x', message: range('Presence Penalty', 'a number from -2 to 2') },
		],
	},
	{
		field: 'options.seed',
		scope: 'item',
		nodes: BOTH,
		good: 7,
		bad: [
			{ value: 1.5, message: /^The "Seed" option must be a whole number, but it is / },
			{ value: 'abc', message: /^The "Seed" option must be a whole number, but it is / },
		],
	},
	{
		field: 'model',
		scope: 'item',
		nodes: BOTH,
		good: 'Humiris/humiris-moai',
		bad: [
			{ value: 42 },
			{ value: '', message: /^The "Model" field is empty\. Correct it in the node\.$/ },
			{ value: '   ', message: /^The "Model" field is empty\./ },
			{ value: { name: 'x' }, message: /^The "Model" field must be text, but it is an object\./ },
		],
	},
	{
		field: 'options.mixTuningId',
		scope: 'item',
		nodes: BOTH,
		good: SIM_MIX_TUNING_ID,
		bad: [
			{ value: 'мікс-1', message: header('MixTuning ID Override', '"м" \\(U\\+043C\\)'), code: 'INVALID_PARAMETER' },
			{ value: 'mix\r\nX-Injected: 1', message: header('MixTuning ID Override', 'a line break \\(U\\+000D\\)') },
			{
				value: '  ',
				message: /^The node's MixTuning ID Override is empty for this item\. Fill it in, or remove the option/,
				code: 'MIX_TUNING_ID_MISSING',
			},
		],
	},
	{
		field: 'options.resultField',
		scope: 'item',
		nodes: CHAT,
		good: 'answer',
		with: { keepInputFields: true },
		bad: [
			{ value: '__proto__', message: /^The "Result Field Name" option must not be __proto__, constructor or prototype \(n8n drops such fields\)/ },
			{ value: 'constructor', message: /^The "Result Field Name" option must not be __proto__/ },
			{ value: 'prototype', message: /^The "Result Field Name" option must not be __proto__/ },
			{ value: '', message: /^The "Result Field Name" option is empty\. Correct it under the node's Options, or remove the option\.$/ },
		],
	},
	{
		field: 'options.keepInputFields',
		scope: 'item',
		nodes: CHAT,
		good: false,
		bad: [{ value: 'maybe', message: /^The "Keep Input Fields" option must be true or false, but it is the text "maybe"\./ }],
	},
	{
		field: 'options.responseFormat',
		scope: 'item',
		nodes: CHAT,
		good: 'text',
		bad: [{ value: 'xml', message: /^The "Response Format" option must be one of "text", "json_object", "json_schema"/ }],
	},
	{
		field: 'options.schemaRetries',
		scope: 'item',
		nodes: CHAT,
		good: 1,
		bad: [
			{ value: 4, message: range('Fix-up Attempts', 'a whole number from 0 to 3') },
			{ value: -1, message: range('Fix-up Attempts', 'a whole number from 0 to 3') },
		],
	},
	{
		field: 'options.concurrency',
		scope: 'run',
		nodes: CHAT,
		good: 2,
		bad: [0, -3, 2.5, 1000, 'abc'].map((value) => ({ value, message: range('Concurrency', 'a whole number from 1 to 50') })),
	},
	{
		field: 'options.maxRetries',
		scope: 'run',
		nodes: BOTH,
		good: 1,
		bad: [-1, 11, 1.5, 'x'].map((value) => ({ value, message: range('Max Retries', 'a whole number from 0 to 10') })),
	},
	{
		field: 'options.maxRetryWait',
		scope: 'run',
		nodes: BOTH,
		good: 1000,
		bad: [-1, 1e10].map((value) => ({ value, message: WHOLE_MS('Max Retry Wait', '3,600,000') })),
	},
	{
		field: 'options.maxRateLimitWait',
		scope: 'run',
		nodes: BOTH,
		good: 1000,
		bad: [-5, 1e10, 'soon'].map((value) => ({ value, message: WHOLE_MS('Max Rate Limit Wait', '3,600,000') })),
	},
	{
		field: 'options.retryUnconfirmed',
		scope: 'run',
		nodes: BOTH,
		good: false,
		bad: [{ value: 'yes', message: /^The "Retry Timeouts and Dropped Connections" option must be true or false/ }],
	},
	{
		field: 'apiKey',
		scope: 'credential',
		nodes: BOTH,
		good: undefined,
		bad: [
			{ value: 'sim-key\r\nX-Injected: 1', message: header('API Key', 'a line break \\(U\\+000D\\)') },
			{ value: 'ключ-api', message: header('API Key', '"к" \\(U\\+043A\\)') },
			{ value: '', message: /^The "API Key" field of the Humiris API credential is empty\. Open the Humiris API credential and correct it\.$/ },
		],
	},
	{
		field: 'mixTuningId',
		scope: 'credential',
		nodes: BOTH,
		good: undefined,
		bad: [
			{ value: 'мікс-1', message: header('MixTuning ID', '"м" \\(U\\+043C\\)') },
			{ value: 'mix\nX-Injected: 1', message: header('MixTuning ID', 'a line break \\(U\\+000A\\)') },
			{ value: '', message: /^The MixTuning ID in the Humiris API credential is empty\./, code: 'MIX_TUNING_ID_MISSING' },
			{ value: '   ', message: /^The MixTuning ID in the Humiris API credential is empty\./, code: 'MIX_TUNING_ID_MISSING' },
		],
	},
	{
		field: 'maxConcurrent',
		scope: 'credential',
		nodes: BOTH,
		good: undefined,
		bad: [-1, 2.5, 'abc', 5000].map((value) => ({
			value,
			message: /^The "Max Concurrent Requests" field of the Humiris API credential must be a whole number from 0 to 1,000/,
		})),
	},
	{
		field: 'requestsPerMinute',
		scope: 'credential',
		nodes: BOTH,
		good: undefined,
		bad: [-1, 1e9].map((value) => ({
			value,
			message: /^The "Max Requests per Minute" field of the Humiris API credential must be a whole number from 0 to 100,000/,
		})),
	},
];
