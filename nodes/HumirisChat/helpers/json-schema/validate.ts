import type { CompiledSchema, Schema } from './compile';
import { hasType, isRecord, jsonEqual, jsonTypeOf, preview, type JsonType } from './json-value';
import { formatPath } from './path';

/** One way a value misses its schema: where (a JSON path), which rule, and what the rule wants. */
export interface Violation {
	path: Array<string | number>;
	rule: string;
	expected: string;
	/** What was there instead, when saying it helps. */
	got?: string;
}

const TYPE_WORDS: Record<JsonType, string> = {
	null: 'null',
	boolean: 'a boolean (true or false)',
	integer: 'an integer',
	number: 'a number',
	string: 'a string',
	array: 'an array',
	object: 'an object',
};

export function describeValue(value: unknown): string {
	const type = jsonTypeOf(value);
	if (type === 'null' || type === undefined) return String(value);
	if (type === 'object') return 'an object';
	if (type === 'array') return `an array of ${(value as unknown[]).length} items`;
	return `the ${type} ${preview(value)}`;
}

function orList(words: string[]): string {
	return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : words[0];
}

function lengthOf(text: string): number {
	// JSON Schema counts characters (code points), not UTF-16 units.
	return [...text].length;
}

type Check = (schema: Schema, value: unknown, path: Violation['path'], seen: ReadonlySet<object>) => Violation[];

/**
 * Every violation of the value against the compiled schema, in schema order; none when it
 * fits. Applies each keyword beside a `$ref` too (as JSON Schema 2019-09 and later do), so no
 * rule written in the schema goes unchecked.
 */
export function validate(compiled: CompiledSchema, value: unknown): Violation[] {
	const check: Check = (schema, value, path, seen) => {
		if (schema === true) return [];
		if (schema === false) return [{ path, rule: 'false schema', expected: 'no value is allowed here', got: describeValue(value) }];
		// Back at a schema already being applied to this same value: a $ref loop, which adds no rule.
		if (seen.has(schema)) return [];
		const here = new Set(seen).add(schema);
		if (schema.nullable === true && value === null) return [];
		const out: Violation[] = [];
		const miss = (rule: string, expected: string, got?: string, at = path) =>
			out.push({ path: at, rule, expected, ...(got === undefined ? {} : { got }) });

		if (schema.type !== undefined) {
			const types = (Array.isArray(schema.type) ? schema.type : [schema.type]) as JsonType[];
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

		if (isRecord(value)) {
			const properties = isRecord(schema.properties) ? schema.properties : {};
			for (const name of (schema.required as string[] | undefined) ?? []) {
				if (!Object.prototype.hasOwnProperty.call(value, name)) miss('required', 'is missing: this property is required', undefined, [...path, name]);
			}
			for (const [name, child] of Object.entries(value)) {
				if (Object.prototype.hasOwnProperty.call(properties, name)) {
					out.push(...check(properties[name] as Schema, child, [...path, name], new Set()));
				} else if (schema.additionalProperties === false) {
					const allowed = Object.keys(properties);
					miss(
						'additionalProperties',
						allowed.length > 0
							? `is not allowed: the object may only have ${allowed.map((key) => JSON.stringify(key)).join(', ')}`
							: 'is not allowed: the object may have no properties',
						undefined,
						[...path, name],
					);
				} else if (schema.additionalProperties !== undefined) {
					out.push(...check(schema.additionalProperties as Schema, child, [...path, name], new Set()));
				}
			}
		}

		if (Array.isArray(value)) {
			const { items } = schema;
			value.forEach((item, index) => {
				const itemSchema = Array.isArray(items) ? (items[index] as Schema | undefined) : (items as Schema | undefined);
				if (itemSchema !== undefined) out.push(...check(itemSchema, item, [...path, index], new Set()));
			});
			if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
				miss('minItems', `must have at least ${schema.minItems} items`, `${value.length}`);
			}
			if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
				miss('maxItems', `must have at most ${schema.maxItems} items`, `${value.length}`);
			}
		}

		if (typeof value === 'string') {
			if (typeof schema.minLength === 'number' && lengthOf(value) < schema.minLength) {
				miss('minLength', `must be at least ${schema.minLength} characters long`, `${lengthOf(value)} characters`);
			}
			if (typeof schema.maxLength === 'number' && lengthOf(value) > schema.maxLength) {
				miss('maxLength', `must be at most ${schema.maxLength} characters long`, `${lengthOf(value)} characters`);
			}
			if (typeof schema.pattern === 'string' && !compiled.pattern(schema.pattern).test(value)) {
				miss('pattern', `must match the regular expression ${JSON.stringify(schema.pattern)}`, describeValue(value));
			}
		}

		if (typeof value === 'number') {
			const bounds: Array<[string, string, (limit: number) => boolean]> = [
				['minimum', 'at least', (limit) => value >= limit],
				['maximum', 'at most', (limit) => value <= limit],
				['exclusiveMinimum', 'greater than', (limit) => value > limit],
				['exclusiveMaximum', 'less than', (limit) => value < limit],
			];
			for (const [rule, words, holds] of bounds) {
				const limit = schema[rule];
				if (typeof limit === 'number' && !holds(limit)) miss(rule, `must be ${words} ${limit}`, describeValue(value));
			}
		}

		for (const sub of (schema.allOf as Schema[] | undefined) ?? []) out.push(...check(sub, value, path, here));
		for (const rule of ['anyOf', 'oneOf'] as const) {
			const alternatives = schema[rule] as Schema[] | undefined;
			if (!alternatives) continue;
			const results = alternatives.map((sub) => check(sub, value, path, here));
			const matching = results.flatMap((violations, index) => (violations.length === 0 ? [index + 1] : []));
			if (matching.length === 0) {
				// An alternative of the value's own type is closer than any of another type.
				const distance = (violations: Violation[]) =>
					violations.length + (violations.some((violation) => violation.rule === 'type' && violation.path.length === path.length) ? 1000 : 0);
				const closest = results.reduce((best, violations) => (distance(violations) < distance(best) ? violations : best));
				const hint = closest.map((violation) => `${formatPath(violation.path)} ${violation.expected}`).join('; ');
				miss(rule, `must match ${rule === 'anyOf' ? 'at least' : 'exactly'} one of ${alternatives.length} alternatives, and matches none (the closest: ${hint})`);
			} else if (rule === 'oneOf' && matching.length > 1) {
				miss(rule, `must match exactly one of ${alternatives.length} alternatives, and matches ${matching.length} (${matching.join(', ')})`);
			}
		}
		if (typeof schema.$ref === 'string') out.push(...check(compiled.resolve(schema.$ref), value, path, here));
		return out;
	};
	return check(compiled.root, value, [], new Set());
}
