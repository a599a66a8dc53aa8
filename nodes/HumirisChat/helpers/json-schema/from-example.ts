import { jsonEqual, jsonTypeOf } from './json-value';

/**
 * A schema from a sample answer, as n8n's Structured Output Parser builds one from a JSON
 * example with "all fields required": each value's type, every property required, each
 * array's items as its elements are (one schema when they agree, their alternatives when
 * they do not, anything for an empty array).
 */
export function schemaFromExample(example: unknown): Record<string, unknown> {
	const type = jsonTypeOf(example);
	if (type === 'object') {
		const entries = Object.entries(example as Record<string, unknown>);
		return {
			type: 'object',
			properties: Object.fromEntries(entries.map(([key, value]) => [key, schemaFromExample(value)])),
			required: entries.map(([key]) => key),
		};
	}
	if (type === 'array') {
		const distinct: Array<Record<string, unknown>> = [];
		for (const item of (example as unknown[]).map(schemaFromExample)) {
			if (!distinct.some((known) => jsonEqual(known, item))) distinct.push(item);
		}
		if (distinct.length === 0) return { type: 'array' };
		return { type: 'array', items: distinct.length === 1 ? distinct[0] : { anyOf: distinct } };
	}
	return { type: type ?? 'null' };
}
