import type { INodeProperties } from 'n8n-workflow';

export const DEFAULT_MODEL = 'Humiris/humiris-moai';

export const DEFAULT_TIMEOUT_MS = 120_000;

export const DEFAULT_CONCURRENCY = 5;

export const DEFAULT_MAX_RETRIES = 2;

export const DEFAULT_MAX_RETRY_WAIT_MS = 60_000;

const messageProperties: INodeProperties[] = [
	{
		displayName: 'Messages From',
		name: 'messageMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Prompt',
				value: 'prompt',
				description: 'A user prompt, with an optional system message',
			},
			{
				name: 'Message List',
				value: 'messages',
				description: 'Messages you list here, each with a role',
			},
			{
				name: 'JSON',
				value: 'json',
				description: 'An OpenAI-style messages array, such as a conversation history carried in the item',
			},
		],
		default: 'prompt',
	},
	{
		displayName: 'Prompt Source',
		name: 'promptType',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'From Input Item',
				value: 'auto',
				description: 'The incoming item\'s "chatInput", "prompt" or "text" field, the first one that has text',
			},
			{
				name: 'Define Below',
				value: 'define',
				description: 'Write the prompt, with expressions to pull in the item\'s data',
			},
		],
		default: 'auto',
		displayOptions: { show: { messageMode: ['prompt'] } },
	},
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'e.g. Summarise this support ticket: {{ $json.body }}',
		description: 'What to ask, for each item',
		displayOptions: { show: { messageMode: ['prompt'], promptType: ['define'] } },
	},
	{
		displayName: 'System Message',
		name: 'systemMessage',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		placeholder: 'e.g. You are a helpful support assistant. Answer in one paragraph.',
		description: 'Instructions the model follows for every item. Leave empty for none.',
		displayOptions: { show: { messageMode: ['prompt'] } },
	},
	{
		displayName: 'Messages',
		name: 'messages',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Message',
		default: { message: [{ role: 'user', content: '' }] },
		displayOptions: { show: { messageMode: ['messages'] } },
		options: [
			{
				displayName: 'Message',
				name: 'message',
				values: [
					{
						displayName: 'Role',
						name: 'role',
						type: 'options',
						options: [
							{ name: 'System', value: 'system', description: 'Instructions for the model' },
							{ name: 'User', value: 'user', description: 'What the user says' },
							{ name: 'Assistant', value: 'assistant', description: 'An earlier answer of the model' },
						],
						default: 'user',
					},
					{
						displayName: 'Content',
						name: 'content',
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
					},
				],
			},
		],
	},
	{
		displayName: 'Messages (JSON)',
		name: 'messagesJson',
		type: 'json',
		required: true,
		default: '={{ $json.messages }}',
		description:
			'An array of messages such as [{"role": "system", "content": "…"}, {"role": "user", "content": "…"}]. Roles: system, developer, user, assistant, tool.',
		displayOptions: { show: { messageMode: ['json'] } },
	},
];

const outputProperties: INodeProperties[] = [
	{
		displayName: 'Simplify Output',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description:
			'Whether to return only the answer, finish reason, token usage, model and ID instead of the full API response',
	},
];

const optionProperties: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Additional Body Fields',
			name: 'additionalBodyFields',
			type: 'json',
			default: '{}',
			description:
				'A JSON object merged into the request body, for API parameters this node has no field for. Fields set elsewhere in the node win.',
		},
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 50 },
			default: DEFAULT_CONCURRENCY,
			description:
				'How many requests to have in flight at once. 1 sends the items one after the other. Output order always follows input order.',
		},
		{
			displayName: 'Frequency Penalty',
			name: 'frequencyPenalty',
			type: 'number',
			typeOptions: { minValue: -2, maxValue: 2, numberPrecision: 1 },
			default: 0,
			description: 'Positive values make the model less likely to repeat the same words',
		},
		{
			displayName: 'Keep Input Fields',
			name: 'keepInputFields',
			type: 'boolean',
			default: false,
			description:
				'Whether to output the incoming item\'s fields too, with the result under the field named in "Result Field Name"',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: DEFAULT_MAX_RETRIES,
			description:
				'How many times to resend one item\'s request after a temporary failure (rate limit, server error, timeout, dropped connection). Only that item is resent.',
		},
		{
			displayName: 'Max Retry Wait',
			name: 'maxRetryWait',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: DEFAULT_MAX_RETRY_WAIT_MS,
			description:
				'The longest single wait before a retry, in milliseconds. If Humiris asks to wait longer (Retry-After), the item fails with a clear error instead.',
		},
		{
			displayName: 'Maximum Tokens',
			name: 'maxTokens',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1024,
			description:
				'The most tokens the answer may have. Unset, the model decides. An answer cut short has "truncated" set to true.',
		},
		{
			displayName: 'MixTuning ID Override',
			name: 'mixTuningId',
			type: 'string',
			default: '',
			description: 'Use this MixTuning configuration instead of the one in the credential',
		},
		{
			displayName: 'Presence Penalty',
			name: 'presencePenalty',
			type: 'number',
			typeOptions: { minValue: -2, maxValue: 2, numberPrecision: 1 },
			default: 0,
			description: 'Positive values make the model more likely to talk about new topics',
		},
		{
			displayName: 'Response Format',
			name: 'responseFormat',
			type: 'options',
			options: [
				{ name: 'Text', value: 'text', description: 'A plain text answer' },
				{
					name: 'JSON Object',
					value: 'json_object',
					description:
						'The model answers with a JSON object, output as an object. Say in the prompt which fields you want.',
				},
			],
			default: 'text',
		},
		{
			displayName: 'Result Field Name',
			name: 'resultField',
			type: 'string',
			default: 'response',
			description: 'The field the result goes under when "Keep Input Fields" is on',
		},
		{
			displayName: 'Sampling Temperature',
			name: 'temperature',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 1 },
			default: 0.7,
			description: 'Higher values make the answers more varied, lower values more focused and repeatable',
		},
		{
			displayName: 'Seed',
			name: 'seed',
			type: 'number',
			default: 0,
			description: 'Ask for repeatable answers: the same seed and input should give the same answer',
		},
		{
			displayName: 'Stop Sequences',
			name: 'stop',
			type: 'string',
			typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Stop Sequence' },
			default: [],
			description: 'The model stops writing when it would produce one of these',
		},
		{
			displayName: 'Timeout',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1000 },
			default: DEFAULT_TIMEOUT_MS,
			description: 'How long to wait for one answer, in milliseconds',
		},
		{
			displayName: 'Top P',
			name: 'topP',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: 1,
			description:
				'Nucleus sampling: consider only the most likely tokens making up this probability mass. Change this or the temperature, not both.',
		},
	],
};

export const nodeProperties: INodeProperties[] = [
	{
		displayName: 'Model',
		name: 'model',
		type: 'string',
		required: true,
		default: DEFAULT_MODEL,
		description: 'The model to call. Humiris routes it through your MixTuning configuration.',
	},
	...messageProperties,
	...outputProperties,
	optionProperties,
];
