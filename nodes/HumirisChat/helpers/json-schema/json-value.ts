/** The JSON Schema type names a value has; an integer is also a number. */
export type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

export const JSON_TYPES: readonly JsonType[] = ['null', 'boolean', 'integer', 'number', 'string', 'array', 'object'];

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function jsonTypeOf(value: unknown): Exclude<JsonType, 'integer'> | undefined {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	switch (typeof value) {
		case 'boolean':
		case 'string':
		case 'object':
			return typeof value as 'boolean' | 'string' | 'object';
		case 'number':
			return Number.isFinite(value) ? 'number' : undefined;
		default:
			return undefined;
	}
}

export function hasType(value: unknown, type: JsonType): boolean {
	if (type === 'integer') return typeof value === 'number' && Number.isInteger(value);
	return jsonTypeOf(value) === type;
}

/** JSON equality: 1 and 1.0 are equal, key order does not matter, false is not 0. */
export function jsonEqual(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (Array.isArray(a) || Array.isArray(b)) {
		return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
	}
	if (!isRecord(a) || !isRecord(b)) return false;
	const keys = Object.keys(a);
	return (
		keys.length === Object.keys(b).length &&
		keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && jsonEqual(a[key], b[key]))
	);
}

/** A value as a short JSON text, for messages a person or a model reads. */
export function preview(value: unknown, limit = 60): string {
	const text = JSON.stringify(value) ?? String(value);
	return text.length > limit ? `${text.slice(0, limit)}…` : text;
}
