/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test-only code that runs in plain Node, never shipped */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { compileSchema, SchemaError } from '../../nodes/HumirisChat/helpers/json-schema/compile';
import { validate } from '../../nodes/HumirisChat/helpers/json-schema/validate';

interface SuiteGroup {
	description: string;
	schema: unknown;
	tests: Array<{ description: string; data: unknown; valid: boolean }>;
}

const SUITE = path.join(__dirname, '..', 'json-schema-test-suite');

/**
 * The one group whose expectation the validator departs from on purpose: draft 7 ignores
 * keywords beside a `$ref`, which would let a rule written in the schema go unchecked; the
 * validator applies them, as JSON Schema 2019-09 and later do.
 */
const DEPARTS = new Set(['draft7/ref.json: ref overrides any sibling keywords']);

/**
 * Cases run (all must pass) and skipped per file; a skipped group's schema is one the
 * validator refuses (a remote or anchor $ref, an $id below the root, an unknown format).
 */
const EXPECTED: Record<string, { run: number; skipped: number }> = {
	'draft7/additionalItems.json': { run: 19, skipped: 0 },
	'draft7/additionalProperties.json': { run: 16, skipped: 0 },
	'draft7/allOf.json': { run: 30, skipped: 0 },
	'draft7/anyOf.json': { run: 18, skipped: 0 },
	'draft7/boolean_schema.json': { run: 18, skipped: 0 },
	'draft7/const.json': { run: 54, skipped: 0 },
	'draft7/contains.json': { run: 21, skipped: 0 },
	'draft7/default.json': { run: 7, skipped: 0 },
	'draft7/definitions.json': { run: 0, skipped: 2 },
	'draft7/dependencies.json': { run: 36, skipped: 0 },
	'draft7/enum.json': { run: 45, skipped: 0 },
	'draft7/exclusiveMaximum.json': { run: 4, skipped: 0 },
	'draft7/exclusiveMinimum.json': { run: 4, skipped: 0 },
	'draft7/if-then-else.json': { run: 30, skipped: 0 },
	'draft7/infinite-loop-detection.json': { run: 2, skipped: 0 },
	'draft7/items.json': { run: 28, skipped: 0 },
	'draft7/maxItems.json': { run: 6, skipped: 0 },
	'draft7/maxLength.json': { run: 7, skipped: 0 },
	'draft7/maxProperties.json': { run: 10, skipped: 0 },
	'draft7/maximum.json': { run: 8, skipped: 0 },
	'draft7/minItems.json': { run: 6, skipped: 0 },
	'draft7/minLength.json': { run: 7, skipped: 0 },
	'draft7/minProperties.json': { run: 10, skipped: 0 },
	'draft7/minimum.json': { run: 11, skipped: 0 },
	'draft7/multipleOf.json': { run: 11, skipped: 0 },
	'draft7/not.json': { run: 38, skipped: 0 },
	'draft7/oneOf.json': { run: 27, skipped: 0 },
	'draft7/pattern.json': { run: 9, skipped: 0 },
	'draft7/patternProperties.json': { run: 23, skipped: 0 },
	'draft7/properties.json': { run: 28, skipped: 0 },
	'draft7/propertyNames.json': { run: 22, skipped: 0 },
	'draft7/ref.json': { run: 41, skipped: 37 },
	'draft7/required.json': { run: 18, skipped: 0 },
	'draft7/type.json': { run: 80, skipped: 0 },
	'draft7/uniqueItems.json': { run: 69, skipped: 0 },
	'draft7/optional/format/date-time.json': { run: 33, skipped: 0 },
	'draft7/optional/format/date.json': { run: 81, skipped: 0 },
	'draft7/optional/format/email.json': { run: 20, skipped: 0 },
	'draft7/optional/format/ipv4.json': { run: 41, skipped: 0 },
	'draft7/optional/format/ipv6.json': { run: 42, skipped: 0 },
	'draft7/optional/format/time.json': { run: 47, skipped: 0 },
	'draft7/optional/format/unknown.json': { run: 0, skipped: 7 },
	'draft2019-09/optional/format/uuid.json': { run: 28, skipped: 0 },
};

function suiteFiles(folder: string): string[] {
	return readdirSync(path.join(SUITE, folder)).flatMap((name) => {
		const relative = folder ? `${folder}/${name}` : name;
		if (statSync(path.join(SUITE, relative)).isDirectory()) return suiteFiles(relative);
		return name.endsWith('.json') ? [relative] : [];
	});
}

const files = suiteFiles('').sort();
const counts: Record<string, { run: number; skipped: number }> = {};

describe.each(files)('JSON-Schema-Test-Suite %s', (file) => {
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
