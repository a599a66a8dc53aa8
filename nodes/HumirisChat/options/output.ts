import { booleanSetting, refuse, textSetting } from '../../shared/settings/setting';

/** n8n drops these keys when it copies an item, so a result filed under one would vanish downstream. */
const LOST_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export const OUTPUT_OPTIONS = {
	keepInputFields: booleanSetting({
		name: 'keepInputFields',
		displayName: 'Keep Input Fields',
		default: false,
		description:
			'Whether to output the incoming item\'s fields and binary data too, with the result under the field named in "Result Field Name" (an error item keeps them too, with the error under "error")',
	}),
	resultField: textSetting({
		name: 'resultField',
		displayName: 'Result Field Name',
		default: 'response',
		description:
			'The field the result goes under when "Keep Input Fields" is on. A name with dots, such as "result.answer", is one field whose name holds the dots, not a nested object.',
		check: (name) => {
			if (LOST_KEYS.has(name)) {
				throw refuse('Result Field Name', 'option', 'must not be __proto__, constructor or prototype (n8n drops such fields)', name);
			}
		},
	}),
};

/** A field of its own, not an option: most users want it on, and should see it. */
export const SIMPLIFY_SETTING = booleanSetting({
	name: 'simplify',
	displayName: 'Simplify Output',
	place: 'field',
	default: true,
	description:
		'Whether to return only the answer, finish reason, token usage, model and ID instead of the full API response',
});
