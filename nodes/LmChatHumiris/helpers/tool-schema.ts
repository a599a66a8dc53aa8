import type { IDataObject } from 'n8n-workflow';

import { zodToJsonSchema, zodView } from './zod-json-schema';

/** What a tool that takes no arguments (or says nothing about them) is offered as. */
const NO_PARAMETERS: IDataObject = { type: 'object', properties: {} };

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

/**
 * The Standard JSON Schema interface (`~standard.jsonSchema`): zod 4.2+ and other schema
 * libraries convert themselves through it, whichever copy made the schema.
 */
function standardJsonSchema(schema: Record<string, unknown>): IDataObject | undefined {
	const standard = schema['~standard'];
	const jsonSchema = isRecord(standard) ? standard.jsonSchema : undefined;
	const input = isRecord(jsonSchema) ? jsonSchema.input : undefined;
	if (typeof input !== 'function') return undefined;
	try {
		const converted: unknown = input.call(jsonSchema, { target: 'draft-07' });
		return isRecord(converted) ? (converted as IDataObject) : undefined;
	} catch {
		// A type JSON Schema cannot express (a date, a transform's output): read the definition instead.
		return undefined;
	}
}

/** A schema object rather than a JSON Schema: zod and the like carry methods and internals. */
function isSchemaLibraryObject(schema: Record<string, unknown>): boolean {
	return '_def' in schema || '_zod' in schema || '~standard' in schema || typeof schema.safeParse === 'function';
}

/**
 * A tool's input schema as the JSON Schema sent in `tools[].function.parameters`. n8n's SDK
 * (`getParametersJsonSchema`) recognises zod with `instanceof` against its own copy, so a tool
 * built with another copy (the package installed with its own SDK, or a zod 4 schema) reached
 * the API as a serialized zod object. Here every schema is read by its shape instead.
 */
export function toolParametersSchema(inputSchema: unknown): IDataObject {
	if (!isRecord(inputSchema)) return NO_PARAMETERS;
	const view = zodView(inputSchema);
	if (view) {
		// zod 4 converts itself where it can; zod 3 has no converter of its own.
		return standardJsonSchema(inputSchema) ?? zodToJsonSchema(inputSchema);
	}
	if (isSchemaLibraryObject(inputSchema)) return standardJsonSchema(inputSchema) ?? NO_PARAMETERS;
	return inputSchema as IDataObject;
}
