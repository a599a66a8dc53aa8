import type { INodeProperties } from 'n8n-workflow';

import { modelProperty, retryUnconfirmedOption, withSharedOptions } from '../shared/options';
import { SUPPORTED_KEYWORDS } from './helpers/json-schema/compile';
import { FORMATS } from './helpers/json-schema/formats';
import { DEFAULT_SCHEMA_RETRIES, MAX_SCHEMA_RETRIES } from './helpers/schema-option';

export const DEFAULT_CONCURRENCY = 5;

/** What the Agent's model fills in when it calls the node as a tool. */
export const TOOL_PROMPT_DEFAULT =
	"={{ $fromAI('prompt', 'The complete question or instruction for Humiris, with every detail it needs to answer on its own', 'string') }}";

/** What the Agent's model reads to decide when to call the node as a tool. */
export const TOOL_DESCRIPTION =
	'Ask the Humiris MoAI mixture of models a question or give it an instruction, and get its written answer. Use it for questions that need a second, well-reasoned opinion.';

const promptTypeProperty: INodeProperties = {
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
	description: 'Where the prompt comes from. The same for every item: this field takes no expressions.',
};

const promptProperty: INodeProperties = {
	displayName: 'Prompt',
	name: 'prompt',
	type: 'string',
	typeOptions: { rows: 4 },
	required: true,
	default: '',
	placeholder: 'e.g. Summarise this support ticket: {{ $json.body }}',
	description: 'What to ask, for each item',
};

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
		description: 'How the messages are built. The same for every item: this field takes no expressions.',
	},
	{
		...promptTypeProperty,
		default: 'auto',
		displayOptions: { show: { messageMode: ['prompt'], '@tool': [false] } },
	},
	// As an Agent's tool the node asks what the Agent's model asks: the item is the user's own
	// message, and re-answering it would ignore the question the Agent chose.
	{
		...promptTypeProperty,
		default: 'define',
		displayOptions: { show: { messageMode: ['prompt'], '@tool': [true] } },
	},
	{
		...promptProperty,
		default: '',
		displayOptions: { show: { messageMode: ['prompt'], promptType: ['define'], '@tool': [false] } },
	},
	{
		...promptProperty,
		default: TOOL_PROMPT_DEFAULT,
		displayOptions: { show: { messageMode: ['prompt'], promptType: ['define'], '@tool': [true] } },
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

const EXAMPLE_SCHEMA = {
	type: 'object',
	properties: {
		category: { type: 'string', enum: ['billing', 'technical', 'account', 'general'] },
		confidence: { type: 'number', minimum: 0, maximum: 1 },
	},
	required: ['category', 'confidence'],
	additionalProperties: false,
};

/** Response Format "JSON Schema": the schema, or a sample to derive it from, and how often to re-ask. */
const schemaOptions: INodeProperties[] = [
	{
		displayName: 'JSON Schema',
		name: 'jsonSchema',
		type: 'json',
		default: JSON.stringify(EXAMPLE_SCHEMA, null, 2),
		description:
			`With Response Format "JSON Schema": the schema every answer must fit. Checked keywords: ${SUPPORTED_KEYWORDS.join(', ')} ($ref only to #/definitions or #/$defs; format: ${Object.keys(FORMATS).join(', ')}). Any other keyword or format is an error, never skipped.`,
	},
	{
		displayName: 'JSON Example',
		name: 'jsonExample',
		type: 'json',
		default: JSON.stringify({ category: 'billing', confidence: 0.9 }, null, 2),
		description:
			"With Response Format \"JSON Schema\", instead of a schema: a sample answer. Every field becomes required, with its value's type.",
	},
	{
		displayName: 'Fix-up Attempts',
		name: 'schemaRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: MAX_SCHEMA_RETRIES },
		default: DEFAULT_SCHEMA_RETRIES,
		description:
			'With Response Format "JSON Schema": how many times to re-ask, saying what is wrong, when an answer does not fit. Each attempt is billed. After the last, the item fails with SCHEMA_MISMATCH.',
	},
];

const READ_ONCE = 'Read once per run, from the first item.';
const RUN_OPTIONS = new Set(['maxRateLimitWait', 'maxRetries', 'maxRetryWait', 'retryUnconfirmed']);

const optionProperties: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: withSharedOptions([
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
				'How many requests to have in flight at once. 1 sends the items one after the other. Output order always follows input order. Read once per run, from the first item.',
		},
		{
			displayName: 'Keep Input Fields',
			name: 'keepInputFields',
			type: 'boolean',
			default: false,
			description:
				'Whether to output the incoming item\'s fields and binary data too, with the result under the field named in "Result Field Name" (an error item keeps them too, with the error under "error")',
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
				{
					name: 'JSON Schema',
					value: 'json_schema',
					description:
						'The answer must fit a JSON Schema (add the JSON Schema or the JSON Example option): each reply is checked, and re-asked for when it does not fit',
				},
			],
			default: 'text',
		},
		...schemaOptions,
		{
			displayName: 'Result Field Name',
			name: 'resultField',
			type: 'string',
			default: 'response',
			description: 'The field the result goes under when "Keep Input Fields" is on',
		},
		retryUnconfirmedOption,
	]).map((option) =>
		// Shared with the Chat Model node, where they apply per call; here they shape the whole run.
		RUN_OPTIONS.has(option.name) ? { ...option, description: `${option.description} ${READ_ONCE}` } : option,
	),
};

/**
 * n8n adds a "Description" field holding the node's description to every tool, unless the
 * node brings its own: the panel's one-liner would tell the Agent's model nothing useful.
 */
const toolDescriptionProperty: INodeProperties = {
	displayName: 'Description',
	name: 'toolDescription',
	type: 'string',
	typeOptions: { rows: 2 },
	required: true,
	default: TOOL_DESCRIPTION,
	description: "What the Agent's model reads to decide when to call this tool and what to ask it",
	displayOptions: { show: { '@tool': [true] } },
};

export const nodeProperties: INodeProperties[] = [
	toolDescriptionProperty,
	modelProperty,
	...messageProperties,
	...outputProperties,
	optionProperties,
];
