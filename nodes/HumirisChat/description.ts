import type { INodeProperties } from 'n8n-workflow';

import { MODEL_SETTING } from '../shared/settings/request';
import { optionsProperty } from './options';
import { SIMPLIFY_SETTING } from './options/output';

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
	MODEL_SETTING.property,
	...messageProperties,
	SIMPLIFY_SETTING.property,
	optionsProperty,
];
