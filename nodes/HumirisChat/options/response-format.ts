import { choiceSetting, jsonSetting, numberSetting } from '../../shared/settings/setting';
import { SUPPORTED_KEYWORDS } from '../helpers/json-schema/compile';
import { FORMATS } from '../helpers/json-schema/formats';

const EXAMPLE_SCHEMA = {
	type: 'object',
	properties: {
		category: { type: 'string', enum: ['billing', 'technical', 'account', 'general'] },
		confidence: { type: 'number', minimum: 0, maximum: 1 },
	},
	required: ['category', 'confidence'],
	additionalProperties: false,
};

/** Response Format, and for "JSON Schema" the schema (or a sample to derive it from) and how often to re-ask. */
export const RESPONSE_FORMAT_OPTIONS = {
	responseFormat: choiceSetting({
		name: 'responseFormat',
		displayName: 'Response Format',
		default: 'text',
		description: 'What the answer must be',
		choices: [
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
	}),
	jsonSchema: jsonSetting({
		name: 'jsonSchema',
		displayName: 'JSON Schema',
		default: JSON.stringify(EXAMPLE_SCHEMA, null, 2),
		description: `With Response Format "JSON Schema": the schema every answer must fit. Checked keywords: ${SUPPORTED_KEYWORDS.join(', ')} ($ref only to #/definitions or #/$defs; format: ${Object.keys(FORMATS).join(', ')}). Any other keyword or format is an error, never skipped.`,
	}),
	jsonExample: jsonSetting({
		name: 'jsonExample',
		displayName: 'JSON Example',
		default: JSON.stringify({ category: 'billing', confidence: 0.9 }, null, 2),
		description:
			"With Response Format \"JSON Schema\", instead of a schema: a sample answer. Every field becomes required, with its value's type.",
	}),
	schemaRetries: numberSetting({
		name: 'schemaRetries',
		displayName: 'Fix-up Attempts',
		default: 1,
		min: 0,
		max: 3,
		integer: true,
		description:
			'With Response Format "JSON Schema": how many times to re-ask, saying what is wrong, when an answer does not fit (0 to 3). Each attempt is billed. After the last, the item fails with SCHEMA_MISMATCH.',
	}),
};
