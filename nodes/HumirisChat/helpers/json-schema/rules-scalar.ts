import { FORMATS } from './formats';
import { hasType, jsonEqual, preview, type JsonType } from './json-value';
import { counted, describeValue, type Rule } from './violation';

const TYPE_WORDS: Record<JsonType, string> = {
	null: 'null',
	boolean: 'a boolean (true or false)',
	integer: 'an integer',
	number: 'a number',
	string: 'a string',
	array: 'an array',
	object: 'an object',
};

function orList(words: string[]): string {
	return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : words[0];
}

function lengthOf(text: string): number {
	// JSON Schema counts characters (code points), not UTF-16 units.
	return [...text].length;
}

/** Whether value is a whole multiple of step, allowing for binary fractions (0.0075 of 0.0001). */
function isMultiple(value: number, step: number): boolean {
	const quotient = value / step;
	return Number.isFinite(quotient) && Math.abs(quotient - Math.round(quotient)) <= 4 * Number.EPSILON * Math.max(1, Math.abs(quotient));
}

/** type (with nullable), enum, const: they apply to a value of any kind. */
export const anyValueRules: Rule = (value, { schema, miss }) => {
	if (schema.type !== undefined) {
		const types = (Array.isArray(schema.type) ? [...schema.type] : [schema.type]) as JsonType[];
		if (schema.nullable === true && !types.includes('null')) types.push('null');
		if (!types.some((type) => hasType(value, type))) {
			miss('type', `must be ${orList(types.map((type) => TYPE_WORDS[type]))}`, describeValue(value));
		}
	}
	if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => jsonEqual(allowed, value))) {
		miss('enum', `must be one of ${schema.enum.map((allowed) => preview(allowed)).join(', ')}`, describeValue(value));
	}
	if ('const' in schema && !jsonEqual(schema.const, value)) {
		miss('const', `must be exactly ${preview(schema.const)}`, describeValue(value));
	}
};

export const stringRules: Rule = (value, { schema, compiled, miss }) => {
	if (typeof value !== 'string') return;
	const length = lengthOf(value);
	if (typeof schema.minLength === 'number' && length < schema.minLength) {
		miss('minLength', `must be at least ${counted(schema.minLength, 'character', 'characters')} long`, counted(length, 'character', 'characters'));
	}
	if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
		miss('maxLength', `must be at most ${counted(schema.maxLength, 'character', 'characters')} long`, counted(length, 'character', 'characters'));
	}
	const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
	if (format && !format.test(value)) miss('format', `must be ${format.words}`, describeValue(value));
	if (typeof schema.pattern === 'string' && !compiled.pattern(schema.pattern).test(value)) {
		miss('pattern', `must match the regular expression ${JSON.stringify(schema.pattern)}`, describeValue(value));
	}
};

const BOUNDS: Array<[string, string, (value: number, limit: number) => boolean]> = [
	['minimum', 'at least', (value, limit) => value >= limit],
	['maximum', 'at most', (value, limit) => value <= limit],
	['exclusiveMinimum', 'greater than', (value, limit) => value > limit],
	['exclusiveMaximum', 'less than', (value, limit) => value < limit],
	['multipleOf', 'a multiple of', isMultiple],
];

export const numberRules: Rule = (value, { schema, miss }) => {
	if (typeof value !== 'number') return;
	for (const [rule, words, holds] of BOUNDS) {
		const limit = schema[rule];
		if (typeof limit === 'number' && !holds(value, limit)) miss(rule, `must be ${words} ${limit}`, describeValue(value));
	}
};
