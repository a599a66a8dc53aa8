import { isJson, parseJson } from '../../shared/json';
import type { SettingValues } from '../../shared/settings/setting';
import type { RESPONSE_FORMAT_OPTIONS } from '../options/response-format';
import { compileSchema, SchemaError, type CompiledSchema } from './json-schema/compile';
import { schemaFromExample } from './json-schema/from-example';
import { isRecord } from './json-schema/json-value';

/** The Options that shape a JSON Schema answer, as read. */
export type SchemaOptions = SettingValues<typeof RESPONSE_FORMAT_OPTIONS>;

/** What one item needs to ask for, and check, an answer that fits a schema. */
export interface SchemaPlan {
	/** The schema as the user gave it (or as derived from the example): what the request carries. */
	schema: Record<string, unknown>;
	compiled: CompiledSchema;
	/** Re-asks after the first answer; 0 fails an answer that does not fit at once. */
	retries: number;
}

function readJsonOption(value: unknown, label: string, sample: string): unknown {
	const parsed = typeof value === 'string' ? parseJson(value) : value;
	if (!isJson(parsed) || parsed === undefined || parsed === '') {
		throw new SchemaError(`The ${label} option is not valid JSON. Expected an object such as ${sample}.`);
	}
	if (!isRecord(parsed)) {
		throw new SchemaError(`The ${label} option must be a JSON object such as ${sample}, got ${Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed)}.`);
	}
	return parsed;
}

function has(value: unknown): boolean {
	return value !== undefined && value !== null && value !== '';
}

/**
 * The item's schema, checked before anything is sent. A schema or example given while
 * Response Format is not JSON Schema is an error rather than ignored: the user meant it to be
 * checked.
 */
export function readSchemaPlan(options: SchemaOptions): SchemaPlan | undefined {
	const given = [has(options.jsonSchema) && 'JSON Schema', has(options.jsonExample) && 'JSON Example'].filter(
		(label): label is string => label !== false,
	);
	if (options.responseFormat !== 'json_schema') {
		if (given.length === 0) return undefined;
		throw new SchemaError(
			`The ${given[0]} option is set but Response Format is not "JSON Schema", so the answer would not be checked. Set Response Format to JSON Schema, or remove the ${given[0]} option.`,
		);
	}
	if (given.length !== 1) {
		throw new SchemaError(
			given.length === 0
				? 'Response Format is "JSON Schema": add the JSON Schema option (a schema) or the JSON Example option (a sample answer).'
				: 'Both the JSON Schema and the JSON Example options are set. Keep one of them.',
		);
	}
	const schema = has(options.jsonSchema)
		? (readJsonOption(options.jsonSchema, '"JSON Schema"', '{"type": "object", "properties": {"category": {"type": "string"}}}') as Record<string, unknown>)
		: schemaFromExample(readJsonOption(options.jsonExample, '"JSON Example"', '{"category": "billing", "confidence": 0.9}'));
	return { schema, compiled: compileSchema(schema), retries: options.schemaRetries };
}
