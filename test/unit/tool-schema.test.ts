/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test-only code that runs in plain Node, never shipped */
import { getParametersJsonSchema } from '@n8n/ai-node-sdk';
import path from 'node:path';
import * as zod3 from 'zod3';
import * as zod3v4 from 'zod3/v4';
import * as zod4 from 'zod4';

import { toolParametersSchema } from '../../nodes/LmChatHumiris/helpers/tool-schema';

type Zod = typeof zod3.z;

/**
 * The copy of zod the SDK itself checks against with `instanceof`: what n8n's own tools are
 * built with when the package shares n8n's SDK. Resolved from the SDK's folder, not hoisting.
 */
function sdkZod(): Zod {
	const utilities = path.dirname(require.resolve('@n8n/ai-utilities/package.json'));
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return (require(require.resolve('zod', { paths: [utilities] })) as typeof zod3).z;
}

/** Schemas shaped like n8n's tools build them: the Code Tool's, $fromAI's, the Calculator's. */
function toolSchemas(z: Zod) {
	return {
		codeTool: z.object({ query: z.string() }),
		fromAi: z.object({
			prompt: z.string().describe('The question to ask'),
			temperature: z.number().optional().describe('Sampling temperature'),
		}),
		calculator: z.object({ input: z.string().optional() }).transform((value) => value.input),
		rich: z.object({
			id: z.number().int().min(1),
			mode: z.enum(['fast', 'careful']).default('fast'),
			tags: z.array(z.string()).max(3),
			note: z.string().nullable(),
			either: z.union([z.string(), z.number()]),
			scores: z.record(z.string(), z.number()),
			nested: z.object({ when: z.string().datetime() }).passthrough(),
			kind: z.literal('order'),
		}),
	};
}

const CODE_TOOL = {
	type: 'object',
	properties: { query: { type: 'string' } },
	required: ['query'],
	additionalProperties: false,
	$schema: 'http://json-schema.org/draft-07/schema#',
};

function functionTool(inputSchema: unknown) {
	return { type: 'function' as const, name: 'tool', inputSchema: inputSchema as never };
}

function serialized(value: unknown): boolean {
	return /"_def"|"_zod"|"~standard"|"_cached"/.test(JSON.stringify(value));
}

describe('toolParametersSchema: zod 3 schemas', () => {
	it("gives exactly what n8n's SDK gives for schemas built with the SDK's own zod", () => {
		const schemas = toolSchemas(sdkZod());
		for (const [name, schema] of Object.entries(schemas)) {
			const sdk = getParametersJsonSchema(functionTool(schema));
			expect(serialized(sdk)).toBe(false);
			expect({ name, schema: toolParametersSchema(schema) }).toEqual({ name, schema: sdk });
		}
		expect(toolParametersSchema(schemas.codeTool)).toEqual(CODE_TOOL);
	});

	it('gives the same JSON Schema for a second copy of zod 3, where the SDK sends the zod object itself', () => {
		const shared = toolSchemas(sdkZod());
		const other = toolSchemas(zod3.z);
		for (const name of Object.keys(shared) as Array<keyof typeof shared>) {
			// The failure this guards against: the SDK's instanceof misses the other copy.
			expect(getParametersJsonSchema(functionTool(other[name]))).toBe(other[name]);
			expect({ name, schema: toolParametersSchema(other[name]) }).toEqual({ name, schema: toolParametersSchema(shared[name]) });
		}
	});

	it('reads descriptions, optional and defaulted properties, formats and bounds', () => {
		const { fromAi, rich } = toolSchemas(zod3.z);
		expect(toolParametersSchema(fromAi)).toMatchObject({
			properties: {
				prompt: { type: 'string', description: 'The question to ask' },
				temperature: { type: 'number', description: 'Sampling temperature' },
			},
			required: ['prompt'],
		});
		expect(toolParametersSchema(rich)).toEqual({
			type: 'object',
			properties: {
				id: { type: 'integer', minimum: 1 },
				mode: { type: 'string', enum: ['fast', 'careful'], default: 'fast' },
				tags: { type: 'array', items: { type: 'string' }, maxItems: 3 },
				note: { type: ['string', 'null'] },
				either: { type: ['string', 'number'] },
				scores: { type: 'object', additionalProperties: { type: 'number' } },
				nested: {
					type: 'object',
					properties: { when: { type: 'string', format: 'date-time' } },
					required: ['when'],
					additionalProperties: true,
				},
				kind: { type: 'string', const: 'order' },
			},
			required: ['id', 'tags', 'note', 'either', 'scores', 'nested', 'kind'],
			additionalProperties: false,
			$schema: 'http://json-schema.org/draft-07/schema#',
		});
	});

	it('stops at a bounded depth on a recursive schema', () => {
		const z = zod3.z;
		type Node = { children: Node[] };
		const tree: zod3.ZodType<Node> = z.lazy(() => z.object({ children: z.array(tree) }));
		const schema = toolParametersSchema(z.object({ tree }));
		expect(schema.type).toBe('object');
		expect(JSON.stringify(schema).length).toBeLessThan(20000);
	});
});

describe('toolParametersSchema: zod 4 schemas', () => {
	it('converts a zod 4.6 schema through its own Standard JSON Schema', () => {
		const schemas = toolSchemas(zod4.z as unknown as Zod);
		const converted = toolParametersSchema(schemas.fromAi);
		expect(serialized(converted)).toBe(false);
		const standard = (schemas.fromAi as unknown as zod4.ZodType)['~standard'];
		expect(converted).toEqual(standard.jsonSchema.input({ target: 'draft-07' }));
		expect(converted).toMatchObject({
			$schema: 'http://json-schema.org/draft-07/schema#',
			type: 'object',
			properties: {
				prompt: { type: 'string', description: 'The question to ask' },
				temperature: { type: 'number', description: 'Sampling temperature' },
			},
			required: ['prompt'],
		});
		expect(toolParametersSchema(schemas.codeTool)).toMatchObject({ type: 'object', properties: { query: { type: 'string' } }, required: ['query'] });
		// The SDK's own check recognises no zod 4 schema, whichever copy: it sends the object.
		expect(getParametersJsonSchema(functionTool(schemas.codeTool))).toBe(schemas.codeTool);
	});

	it('reads the definition of a zod 4 schema that has no JSON Schema of its own (zod 3.25\'s bundled v4) like zod 3\'s', () => {
		const v4 = toolSchemas(zod3v4.z as unknown as Zod);
		const v3 = toolSchemas(zod3.z);
		expect(Object.keys(zod3v4.z.string()['~standard'])).not.toContain('jsonSchema');
		for (const name of Object.keys(v3) as Array<keyof typeof v3>) {
			expect({ name, schema: toolParametersSchema(v4[name]) }).toEqual({ name, schema: toolParametersSchema(v3[name]) });
		}
	});

	it('falls back to the definition where Standard JSON Schema refuses a type (a date)', () => {
		const z = zod4.z;
		const schema = z.object({ when: z.date(), what: z.string().describe('Event') });
		expect(() => schema['~standard'].jsonSchema.input({ target: 'draft-07' })).toThrow();
		expect(toolParametersSchema(schema)).toEqual({
			type: 'object',
			properties: { when: { type: 'string', format: 'date-time' }, what: { type: 'string', description: 'Event' } },
			required: ['when', 'what'],
			additionalProperties: false,
			$schema: 'http://json-schema.org/draft-07/schema#',
		});
	});
});

describe('toolParametersSchema: no zod', () => {
	it('sends a plain JSON Schema as it is', () => {
		const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
		expect(toolParametersSchema(schema)).toBe(schema);
	});

	it('offers a tool without a schema as taking an object', () => {
		expect(toolParametersSchema(undefined)).toEqual({ type: 'object', properties: {} });
		expect(toolParametersSchema(null)).toEqual({ type: 'object', properties: {} });
	});

	it('never sends a schema object it cannot read', () => {
		const unknownLibrary = { safeParse: () => ({ success: true }), _cached: { shape: {} } };
		const converted = toolParametersSchema(unknownLibrary);
		expect(converted).toEqual({ type: 'object', properties: {} });
		expect(serialized(converted)).toBe(false);
	});
});
