import { FORMATS } from './formats';
import { isRecord, JSON_TYPES, type JsonType } from './json-value';

/** A schema is an object of keywords, or true (anything) / false (nothing). */
export type Schema = boolean | Record<string, unknown>;

/** The schema cannot be checked as written; worded for the user, naming the keyword and where it is. */
export class SchemaError extends Error {}

export interface CompiledSchema {
	readonly root: Schema;
	/** The schema a local `$ref` points at; every `$ref` was resolved when compiling. */
	resolve(ref: string): Schema;
	/** The RegExp of a `pattern`, built once when compiling. */
	pattern(source: string): RegExp;
}

/** Words for people and tools only: they never change what is valid. */
const ANNOTATIONS = new Set([
	'title',
	'description',
	'default',
	'examples',
	'$schema',
	'$comment',
	'readOnly',
	'writeOnly',
	'deprecated',
]);

type Walk = (schema: unknown, at: string) => void;
type KeywordCheck = (value: unknown, at: string, walk: Walk) => string | undefined;

const nonNegativeInteger: KeywordCheck = (value) =>
	Number.isInteger(value) && (value as number) >= 0 ? undefined : 'must be a whole number, 0 or more';

const number: KeywordCheck = (value) =>
	typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';

const schemaMap: KeywordCheck = (value, at, walk) => {
	if (!isRecord(value)) return 'must be an object of schemas';
	for (const [key, schema] of Object.entries(value)) walk(schema, `${at}/${escapePointer(key)}`);
	return undefined;
};

const schemaList: KeywordCheck = (value, at, walk) => {
	if (!Array.isArray(value) || value.length === 0) return 'must be a non-empty array of schemas';
	value.forEach((schema, index) => walk(schema, `${at}/${index}`));
	return undefined;
};

const singleSchema: KeywordCheck = (value, at, walk) => {
	walk(value, at);
	return undefined;
};

function isTypeName(value: unknown): value is JsonType {
	return typeof value === 'string' && (JSON_TYPES as readonly string[]).includes(value);
}

const KEYWORDS: Record<string, KeywordCheck> = {
	type: (value) => {
		const list = Array.isArray(value) ? value : [value];
		const valid = list.length > 0 && list.every(isTypeName) && new Set(list).size === list.length;
		return valid ? undefined : `must be one of ${JSON_TYPES.join(', ')}, or an array of them`;
	},
	properties: schemaMap,
	required: (value) =>
		Array.isArray(value) && value.every((name) => typeof name === 'string') ? undefined : 'must be an array of property names',
	additionalProperties: singleSchema,
	enum: (value) => (Array.isArray(value) ? undefined : 'must be an array of the allowed values'),
	const: () => undefined,
	items: (value, at, walk) => {
		if (Array.isArray(value)) value.forEach((schema, index) => walk(schema, `${at}/${index}`));
		else walk(value, at);
		return undefined;
	},
	minItems: nonNegativeInteger,
	maxItems: nonNegativeInteger,
	minLength: nonNegativeInteger,
	maxLength: nonNegativeInteger,
	pattern: (value) => (typeof value === 'string' ? undefined : 'must be a regular expression, as a string'),
	minimum: number,
	maximum: number,
	exclusiveMinimum: number,
	exclusiveMaximum: number,
	anyOf: schemaList,
	oneOf: schemaList,
	allOf: schemaList,
	nullable: (value) => (typeof value === 'boolean' ? undefined : 'must be true or false'),
	$ref: (value) => (typeof value === 'string' ? undefined : 'must be a string such as "#/definitions/address"'),
	definitions: schemaMap,
	$defs: schemaMap,
	format: (value) =>
		typeof value === 'string' && Object.prototype.hasOwnProperty.call(FORMATS, value)
			? undefined
			: `is ${JSON.stringify(value)}, which this node does not check; the formats it checks are ${Object.keys(FORMATS).join(', ')}`,
	multipleOf: (value) => (typeof value === 'number' && value > 0 ? undefined : 'must be a number greater than 0'),
	uniqueItems: (value) => (typeof value === 'boolean' ? undefined : 'must be true or false'),
	minProperties: nonNegativeInteger,
	maxProperties: nonNegativeInteger,
	patternProperties: schemaMap,
	additionalItems: singleSchema,
	propertyNames: singleSchema,
	contains: singleSchema,
	not: singleSchema,
	if: singleSchema,
	then: singleSchema,
	else: singleSchema,
	dependencies: (value, at, walk) => {
		if (!isRecord(value)) return 'must be an object of property lists or schemas';
		for (const [key, dependency] of Object.entries(value)) {
			if (Array.isArray(dependency)) {
				if (!dependency.every((name) => typeof name === 'string')) return `"${key}" must list property names`;
			} else {
				walk(dependency, `${at}/${escapePointer(key)}`);
			}
		}
		return undefined;
	},
};

export const SUPPORTED_KEYWORDS: readonly string[] = Object.keys(KEYWORDS);

function escapePointer(key: string): string {
	return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `#/definitions/a~1b` → the value at that JSON Pointer in the document, or undefined. */
function atPointer(document: unknown, ref: string): unknown {
	const pointer = decodeURIComponent(ref.slice(1));
	if (pointer === '') return document;
	if (!pointer.startsWith('/')) return undefined;
	let current: unknown = document;
	for (const raw of pointer.slice(1).split('/')) {
		const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
		if (Array.isArray(current) && /^(0|[1-9]\d*)$/.test(key)) current = current[Number(key)];
		else if (isRecord(current) && Object.prototype.hasOwnProperty.call(current, key)) current = current[key];
		else return undefined;
	}
	return current;
}

function regExpOrError(source: string, flags: string): RegExp | Error {
	try {
		return new RegExp(source, flags);
	} catch (error) {
		return error as Error;
	}
}

/** Some models' schemas escape characters JavaScript's Unicode mode refuses (`\-` outside a class). */
function buildRegExp(source: string, at: string): RegExp {
	const unicode = regExpOrError(source, 'u');
	if (unicode instanceof RegExp) return unicode;
	const plain = regExpOrError(source, '');
	if (plain instanceof RegExp) return plain;
	throw new SchemaError(`The JSON Schema's "pattern" at ${at} is not a valid regular expression: ${plain.message}`);
}

/**
 * Checks a schema once, before anything is sent: every keyword must be one this validator
 * enforces (or a pure annotation), so a rule it cannot check is an error naming it, never a
 * rule silently skipped. `$ref`s are resolved and patterns built here, so validating an
 * answer cannot fail on the schema.
 */
export function compileSchema(document: unknown): CompiledSchema {
	const refs = new Map<string, Schema>();
	const patterns = new Map<string, RegExp>();

	const walked = new Set<object>();

	const walk: Walk = (schema, at) => {
		if (typeof schema === 'boolean') return;
		if (!isRecord(schema)) {
			throw new SchemaError(`The JSON Schema has ${JSON.stringify(schema)} at ${at} where a schema (an object, true or false) belongs.`);
		}
		if (walked.has(schema)) return;
		walked.add(schema);
		for (const [keyword, value] of Object.entries(schema)) {
			const where = `${at}/${escapePointer(keyword)}`;
			if (ANNOTATIONS.has(keyword)) continue;
			if (keyword === '$id') {
				// An $id below the root would move where its $refs point; only the root's is harmless.
				if (at === '#') continue;
				throw new SchemaError(`The JSON Schema has "$id" at ${where}: only the root schema may have one here. Remove it.`);
			}
			const check = KEYWORDS[keyword];
			if (!check) {
				throw new SchemaError(
					`The JSON Schema uses the keyword "${keyword}" (at ${where}), which this node does not check. Remove it or express the rule with the keywords it checks: ${SUPPORTED_KEYWORDS.join(', ')}.`,
				);
			}
			const problem = check(value, where, walk);
			if (problem) throw new SchemaError(`The JSON Schema's "${keyword}" at ${where} ${problem}.`);
			if (keyword === 'pattern') patterns.set(value as string, buildRegExp(value as string, where));
			if (keyword === 'patternProperties') {
				for (const key of Object.keys(value as object)) patterns.set(key, buildRegExp(key, `${where}/${escapePointer(key)}`));
			}
			if (keyword === '$ref') refs.set(value as string, resolveRef(document, value as string, where));
		}
	};
	walk(document, '#');
	// A $ref may point inside a value no keyword walks (an enum entry, a default): check it as a schema too.
	for (const [ref, target] of refs) walk(target, ref);

	return {
		root: document as Schema,
		resolve: (ref) => refs.get(ref) as Schema,
		pattern: (source) => patterns.get(source) as RegExp,
	};
}

function resolveRef(document: unknown, ref: string, at: string): Schema {
	if (!ref.startsWith('#')) {
		throw new SchemaError(
			`The JSON Schema's "$ref" at ${at} points at "${ref}": only references inside the schema (such as "#/definitions/address" or "#/$defs/address") are supported.`,
		);
	}
	let target: unknown;
	try {
		target = atPointer(document, ref);
	} catch {
		target = undefined;
	}
	if (typeof target !== 'boolean' && !isRecord(target)) {
		throw new SchemaError(`The JSON Schema's "$ref" at ${at} points at "${ref}", which is not a schema in this document.`);
	}
	return target;
}
