/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test-only code that runs in plain Node, never shipped */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { compileSchema, SchemaError } from '../../nodes/HumirisChat/helpers/json-schema/compile';
import { validate } from '../../nodes/HumirisChat/helpers/json-schema/validate';

interface SuiteGroup {
	description: string;
	schema: unknown;
	tests: Array<{ description: string; data: unknown; valid: boolean }>;
}

const SUITE = path.join(__dirname, '..', 'json-schema-test-suite', 'draft7');

/**
 * The one group whose expectation the validator departs from on purpose: draft 7 ignores
 * keywords beside a `$ref`, which would let a rule written in the schema go unchecked; the
 * validator applies them, as JSON Schema 2019-09 and later do.
 */
const DEPARTS = new Set(['ref.json: ref overrides any sibling keywords']);

/** Cases run (all must pass) and skipped per file; skipped groups use a keyword the validator refuses. */
const EXPECTED: Record<string, { run: number; skipped: number }> = {
	'additionalItems.json': { run: 19, skipped: 0 },
	'additionalProperties.json': { run: 16, skipped: 0 },
	'allOf.json': { run: 30, skipped: 0 },
	'anyOf.json': { run: 18, skipped: 0 },
	'boolean_schema.json': { run: 18, skipped: 0 },
	'const.json': { run: 54, skipped: 0 },
	'contains.json': { run: 21, skipped: 0 },
	'default.json': { run: 7, skipped: 0 },
	'definitions.json': { run: 0, skipped: 2 },
	'dependencies.json': { run: 36, skipped: 0 },
	'enum.json': { run: 45, skipped: 0 },
	'exclusiveMaximum.json': { run: 4, skipped: 0 },
	'exclusiveMinimum.json': { run: 4, skipped: 0 },
	'if-then-else.json': { run: 30, skipped: 0 },
	'infinite-loop-detection.json': { run: 2, skipped: 0 },
	'items.json': { run: 28, skipped: 0 },
	'maxItems.json': { run: 6, skipped: 0 },
	'maxLength.json': { run: 7, skipped: 0 },
	'maxProperties.json': { run: 10, skipped: 0 },
	'maximum.json': { run: 8, skipped: 0 },
	'minItems.json': { run: 6, skipped: 0 },
	'minLength.json': { run: 7, skipped: 0 },
	'minProperties.json': { run: 10, skipped: 0 },
	'minimum.json': { run: 11, skipped: 0 },
	'multipleOf.json': { run: 11, skipped: 0 },
	'not.json': { run: 38, skipped: 0 },
	'oneOf.json': { run: 27, skipped: 0 },
	'pattern.json': { run: 9, skipped: 0 },
	'patternProperties.json': { run: 23, skipped: 0 },
	'properties.json': { run: 28, skipped: 0 },
	'propertyNames.json': { run: 22, skipped: 0 },
	'ref.json': { run: 41, skipped: 37 },
	'required.json': { run: 18, skipped: 0 },
	'type.json': { run: 80, skipped: 0 },
	'uniqueItems.json': { run: 69, skipped: 0 },
};

const files = readdirSync(SUITE).filter((file) => file.endsWith('.json')).sort();
const counts: Record<string, { run: number; skipped: number }> = {};

describe.each(files)('JSON-Schema-Test-Suite draft 7: %s', (file) => {
	const groups = JSON.parse(readFileSync(path.join(SUITE, file), 'utf8')) as SuiteGroup[];
	counts[file] = { run: 0, skipped: 0 };
	for (const group of groups) {
		let compiled: ReturnType<typeof compileSchema> | undefined;
		let refusal: unknown;
		try {
			compiled = compileSchema(group.schema);
		} catch (error) {
			refusal = error;
		}
		if (!compiled || DEPARTS.has(`${file}: ${group.description}`)) {
			counts[file].skipped += group.tests.length;
			it(`refuses or departs from "${group.description}" on purpose`, () => {
				if (!compiled) expect(refusal).toBeInstanceOf(SchemaError);
				else expect(DEPARTS.has(`${file}: ${group.description}`)).toBe(true);
			});
			continue;
		}
		const schema = compiled;
		counts[file].run += group.tests.length;
		it.each(group.tests.map((test) => [test.description, test] as const))(`${group.description}: %s`, (_, test) => {
			expect(validate(schema, test.data).length === 0).toBe(test.valid);
		});
	}
});

describe('JSON-Schema-Test-Suite coverage', () => {
	it('runs and skips the pinned number of cases per file', () => {
		expect(counts).toEqual(EXPECTED);
	});
});
