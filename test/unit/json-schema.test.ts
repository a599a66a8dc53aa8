import { compileSchema, SchemaError } from '../../nodes/HumirisChat/helpers/json-schema/compile';
import { describeViolations } from '../../nodes/HumirisChat/helpers/json-schema/describe';
import { schemaFromExample } from '../../nodes/HumirisChat/helpers/json-schema/from-example';
import { formatPath } from '../../nodes/HumirisChat/helpers/json-schema/path';
import { validate } from '../../nodes/HumirisChat/helpers/json-schema/validate';

const lines = (schema: unknown, value: unknown) => describeViolations(validate(compileSchema(schema), value));

describe('compileSchema refuses what it cannot check, naming it', () => {
	it.each([
		[{ dependentRequired: { card: ['address'] } }, /keyword "dependentRequired" \(at #\/dependentRequired\), which this node does not check/],
		[{ properties: { site: { format: 'hostname' } } }, /"format" at #\/properties\/site\/format is "hostname", which this node does not check; the formats it checks are date-time, date, time, email, ipv4, ipv6, uuid/],
		[{ prefixItems: [{ type: 'string' }] }, /keyword "prefixItems" \(at #\/prefixItems\)/],
		[{ definitions: { unused: { unevaluatedProperties: false } } }, /keyword "unevaluatedProperties" \(at #\/definitions\/unused\/unevaluatedProperties\)/],
		[{ patternProperties: { '(': {} } }, /"pattern" at #\/patternProperties\/\( is not a valid regular expression/],
		[{ dependencies: { a: [1] } }, /"dependencies" at #\/dependencies "a" must list property names/],
		[{ properties: { a: { $id: 'http://example.com/a' } } }, /"\$id" at #\/properties\/a\/\$id: only the root schema may have one/],
		[{ $ref: 'http://json-schema.org/draft-07/schema#' }, /only references inside the schema/],
		[{ $ref: '#/definitions/missing' }, /points at "#\/definitions\/missing", which is not a schema in this document/],
		[{ pattern: '(' }, /"pattern" at #\/pattern is not a valid regular expression/],
		[{ type: 'float' }, /"type" at #\/type must be one of null, boolean, integer, number, string, array, object/],
		[{ minimum: 0, exclusiveMinimum: true }, /"exclusiveMinimum" at #\/exclusiveMinimum must be a number/],
		[{ anyOf: [] }, /"anyOf" at #\/anyOf must be a non-empty array of schemas/],
		[{ properties: { a: 5 } }, /has 5 at #\/properties\/a where a schema/],
	])('%j', (schema, message) => {
		expect(() => compileSchema(schema)).toThrow(SchemaError);
		expect(() => compileSchema(schema)).toThrow(message);
	});

	it('checks a schema a $ref points at inside a value no keyword walks', () => {
		expect(() => compileSchema({ default: { prefixItems: [] }, $ref: '#/default' })).toThrow(/keyword "prefixItems" \(at #\/default\/prefixItems\)/);
	});

	it('accepts annotations, a root $id and $schema', () => {
		expect(() =>
			compileSchema({
				$schema: 'http://json-schema.org/draft-07/schema#',
				$id: 'https://example.com/ticket.json',
				$comment: 'for the triage flow',
				title: 'Ticket',
				description: 'A triaged ticket',
				default: {},
				examples: [{}],
				properties: { id: { type: 'string', readOnly: true, deprecated: false } },
			}),
		).not.toThrow();
	});
});

describe('validate, described for the model and the user', () => {
	it('lets null through a nullable schema, and says so in the type rule otherwise', () => {
		const schema = { type: 'object', properties: { note: { type: 'string', nullable: true } } };
		expect(lines(schema, { note: null })).toEqual([]);
		expect(lines(schema, { note: 3 })).toEqual(['$.note (type): must be a string or null; got the number 3']);
	});

	it('names integer and type lists', () => {
		expect(lines({ type: 'integer' }, 1.5)).toEqual(['$ (type): must be an integer; got the number 1.5']);
		expect(lines({ type: ['string', 'null'] }, true)).toEqual(['$ (type): must be a string or null; got the boolean true']);
		expect(lines({ type: 'integer' }, 2)).toEqual([]);
	});

	it('follows $ref to #/$defs and #/definitions, keywords beside it applied too', () => {
		const schema = {
			$defs: { email: { type: 'string', pattern: '^[^@]+@[^@]+$' } },
			definitions: { contact: { type: 'object', properties: { email: { $ref: '#/$defs/email' } }, required: ['email'] } },
			properties: { contact: { $ref: '#/definitions/contact', maxProperties: undefined } },
		};
		expect(lines({ ...schema, properties: { contact: { $ref: '#/definitions/contact' } } }, { contact: { email: 'nope' } })).toEqual([
			'$.contact.email (pattern): must match the regular expression "^[^@]+@[^@]+$"; got the string "nope"',
		]);
		expect(lines({ $defs: schema.$defs, $ref: '#/$defs/email', minLength: 10 }, 'a@b')).toEqual([
			'$ (minLength): must be at least 10 characters long; got 3 characters',
		]);
	});

	it('gives the closest alternative of an anyOf, and which alternatives a oneOf matched twice', () => {
		const anyOf = { anyOf: [{ type: 'string' }, { type: 'object', required: ['id'] }] };
		expect(lines(anyOf, {})).toEqual([
			'$ (anyOf): must match at least one of 2 alternatives, and matches none (the closest: $.id is missing: this property is required)',
		]);
		expect(lines({ oneOf: [{ minimum: 0 }, { maximum: 10 }] }, 5)).toEqual([
			'$ (oneOf): must match exactly one of 2 alternatives, and matches 2 (1, 2)',
		]);
	});

	it('counts characters, not UTF-16 units, for lengths', () => {
		expect(lines({ maxLength: 2 }, '💩💩')).toEqual([]);
		expect(lines({ minLength: 3 }, '💩💩')).toEqual(['$ (minLength): must be at least 3 characters long; got 2 characters']);
	});

	it('treats 1 and 1.0 as equal and false and 0 as different in enum and const', () => {
		expect(lines({ enum: [1, 'a'] }, 1.0)).toEqual([]);
		expect(lines({ const: false }, 0)).toEqual(['$ (const): must be exactly false; got the number 0']);
	});

	it('describes the object, array and conditional rules', () => {
		expect(lines({ patternProperties: { '^n_': { type: 'number' } }, additionalProperties: false }, { n_a: 'x', b: 1 })).toEqual([
			'$.n_a (type): must be a number; got the string "x"',
			'$.b (additionalProperties): is not allowed: the object may only have properties whose names match "^n_"',
		]);
		expect(lines({ propertyNames: { maxLength: 3 }, minProperties: 2 }, { long: 1 })).toEqual([
			'$ (minProperties): must have at least 2 properties; got 1',
			'$.long (propertyNames): the name must be at most 3 characters long; got 4 characters',
		]);
		expect(lines({ dependencies: { card: ['billingAddress'] } }, { card: '4242' })).toEqual([
			'$.billingAddress (dependencies): is missing: it is required when "card" is present',
		]);
		expect(lines({ items: [{ type: 'string' }], additionalItems: false, uniqueItems: true }, ['a', 'a'])).toEqual([
			'$[1] (additionalItems): is not allowed: the array may have at most 1 item',
			'$ (uniqueItems): must have no two equal items; got items 0 and 1 are equal',
		]);
		expect(lines({ contains: { const: 'x' } }, ['a'])).toEqual(['$ (contains): must have at least one item that matches the schema in "contains"']);
		expect(lines({ not: { type: 'null' } }, null)).toEqual(['$ (not): must not match the schema in "not"']);
		expect(lines({ if: { properties: { paid: { const: true } } }, then: { required: ['receipt'] } }, { paid: true })).toEqual([
			'$.receipt (required): is missing: this property is required',
		]);
		expect(lines({ multipleOf: 0.01 }, 0.075)).toEqual(['$ (multipleOf): must be a multiple of 0.01; got the number 0.075']);
		expect(lines({ multipleOf: 0.01 }, 0.07)).toEqual([]);
	});

	it('says which format a string must have', () => {
		expect(lines({ format: 'date-time' }, '2024-05-01 09:30')).toEqual([
			'$ (format): must be a date and time as in RFC 3339, such as "2024-05-01T09:30:00Z"; got the string "2024-05-01 09:30"',
		]);
		expect(lines({ format: 'email' }, 'ana@example.com')).toEqual([]);
		expect(lines({ format: 'uuid' }, 7)).toEqual([]);
	});

	it('lists the first ten violations and counts the rest', () => {
		const schema = { type: 'array', items: { type: 'string' } };
		const described = lines(schema, Array.from({ length: 13 }, (_, index) => index));
		expect(described).toHaveLength(11);
		expect(described[0]).toBe('$[0] (type): must be a string; got the number 0');
		expect(described[10]).toBe('and 3 more');
	});

	it('survives a $ref loop that consumes nothing', () => {
		const schema = { definitions: { a: { $ref: '#/definitions/b' }, b: { $ref: '#/definitions/a' } }, $ref: '#/definitions/a', type: 'string' };
		expect(lines(schema, 'x')).toEqual([]);
		expect(lines(schema, 1)).toEqual(['$ (type): must be a string; got the number 1']);
	});
});

describe('formatPath', () => {
	it('writes dotted names, indexes and bracketed odd keys', () => {
		expect(formatPath([])).toBe('$');
		expect(formatPath(['customer', 'email'])).toBe('$.customer.email');
		expect(formatPath(['tags', 2])).toBe('$.tags[2]');
		expect(formatPath(['first name', 'a.b'])).toBe('$["first name"]["a.b"]');
	});
});

describe('schemaFromExample', () => {
	it('requires every field and takes the types of the values, nested', () => {
		expect(schemaFromExample({ id: 7, price: 9.5, name: 'x', ok: false, none: null, address: { city: 'Lyon' } })).toEqual({
			type: 'object',
			properties: {
				id: { type: 'number' },
				price: { type: 'number' },
				name: { type: 'string' },
				ok: { type: 'boolean' },
				none: { type: 'null' },
				address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
			},
			required: ['id', 'price', 'name', 'ok', 'none', 'address'],
		});
	});

	it('gives arrays one item schema when the elements agree, alternatives when not, any item when empty', () => {
		expect(schemaFromExample(['a', 'b'])).toEqual({ type: 'array', items: { type: 'string' } });
		expect(schemaFromExample([1, 'a', 2])).toEqual({ type: 'array', items: { anyOf: [{ type: 'number' }, { type: 'string' }] } });
		expect(schemaFromExample([])).toEqual({ type: 'array' });
	});

	it('derives a schema the validator accepts, and the example fits it', () => {
		const example = { tags: [{ name: 'x' }], score: 1 };
		const compiled = compileSchema(schemaFromExample(example));
		expect(validate(compiled, example)).toEqual([]);
		expect(validate(compiled, { tags: [{}], score: 1 }).map((violation) => violation.rule)).toEqual(['required']);
	});
});
