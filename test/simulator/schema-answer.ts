/**
 * The simulated model's answer when a JSON Schema is asked for: an object that fits the
 * schema, its fields filled from the ticket the way the JSON Object answer is, or, under a
 * `[[sim:schema-miss rule=…]]` directive, one that misses it by that rule until the
 * conversation carries enough corrections.
 */

export type MissRule = 'enum' | 'required' | 'type' | 'extra' | 'items' | 'prose';

export const MISS_RULES: readonly MissRule[] = ['enum', 'required', 'type', 'extra', 'items', 'prose'];

type SchemaNode = Record<string, unknown>;

interface AnswerContext {
	root: unknown;
	category: string;
	answer: string;
}

function isNode(value: unknown): value is SchemaNode {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolve(root: unknown, ref: string): unknown {
	let current = root;
	for (const raw of ref.replace(/^#\/?/, '').split('/').filter(Boolean)) {
		const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
		current = isNode(current) ? current[key] : undefined;
	}
	return current;
}

function firstType(schema: SchemaNode): string | undefined {
	const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string | undefined];
	const type = types.find((candidate) => candidate !== 'null') ?? types[0];
	if (type !== undefined) return type;
	if (isNode(schema.properties)) return 'object';
	if (schema.items !== undefined) return 'array';
	return undefined;
}

/** Strings a `format` accepts, so a schema with one can be answered. */
const FORMAT_SAMPLES: Record<string, string> = { date: '2026-01-31', 'date-time': '2026-01-31T09:30:00Z', time: '09:30:00Z', email: 'someone@example.com' };

function sampleString(schema: SchemaNode, name: string, context: AnswerContext): string {
	if (typeof schema.format === 'string' && FORMAT_SAMPLES[schema.format]) return FORMAT_SAMPLES[schema.format];
	let text = name === 'answer' ? context.answer : name === 'category' ? context.category : 'text';
	if (typeof schema.minLength === 'number') text = text.padEnd(schema.minLength, '.');
	if (typeof schema.maxLength === 'number') text = text.slice(0, schema.maxLength);
	return text;
}

function sampleNumber(schema: SchemaNode, name: string, integer: boolean): number {
	const low =
		typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : undefined;
	const high =
		typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - 1 : undefined;
	let value = name === 'confidence' && !integer ? 0.9 : (low ?? 0);
	if (low !== undefined && value < low) value = low;
	if (high !== undefined && value > high) value = high;
	return integer ? Math.ceil(value) : value;
}

function sample(schema: unknown, name: string, context: AnswerContext): unknown {
	if (!isNode(schema)) return name === 'answer' ? context.answer : 'text';
	if (typeof schema.$ref === 'string') return sample(resolve(context.root, schema.$ref), name, context);
	for (const combination of ['allOf', 'anyOf', 'oneOf']) {
		const [first] = (schema[combination] as unknown[] | undefined) ?? [];
		if (first !== undefined) return sample(first, name, context);
	}
	if ('const' in schema) return schema.const;
	if (Array.isArray(schema.enum)) {
		return name === 'category' && schema.enum.includes(context.category) ? context.category : schema.enum[0];
	}
	switch (firstType(schema)) {
		case 'object': {
			const properties = isNode(schema.properties) ? schema.properties : {};
			return Object.fromEntries(Object.entries(properties).map(([key, child]) => [key, sample(child, key, context)]));
		}
		case 'array': {
			const count = Math.max(1, typeof schema.minItems === 'number' ? schema.minItems : 1);
			return Array.from({ length: count }, () => sample(schema.items, name, context));
		}
		case 'number':
			return sampleNumber(schema, name, false);
		case 'integer':
			return sampleNumber(schema, name, true);
		case 'boolean':
			return true;
		case 'null':
			return null;
		default:
			return sampleString(schema, name, context);
	}
}

function propertiesOf(schema: unknown, root: unknown): Array<[string, SchemaNode]> {
	const node = isNode(schema) && typeof schema.$ref === 'string' ? resolve(root, schema.$ref) : schema;
	if (!isNode(node) || !isNode(node.properties)) return [];
	return Object.entries(node.properties).map(([key, child]) => [key, (isNode(child) ? child : {}) as SchemaNode]);
}

const WRONG_TYPE: Record<string, unknown> = { string: 42, number: 'high', integer: 'many', boolean: 'yes', array: 'none', object: 'none' };

/** The fitting answer, bent so that it breaks one rule of the schema's top-level properties. */
function miss(value: Record<string, unknown>, rule: MissRule, schema: unknown, root: unknown): Record<string, unknown> {
	const properties = propertiesOf(schema, root);
	const broken = { ...value };
	const find = (test: (child: SchemaNode) => boolean) => properties.find(([, child]) => test(child));
	switch (rule) {
		case 'enum': {
			const [key] = find((child) => Array.isArray(child.enum)) ?? [];
			if (key !== undefined) broken[key] = `${String(broken[key]).charAt(0).toUpperCase()}${String(broken[key]).slice(1)}`;
			return broken;
		}
		case 'required': {
			const node = isNode(schema) ? schema : {};
			const [key] = (node.required as string[] | undefined) ?? [];
			if (key !== undefined) delete broken[key];
			return broken;
		}
		case 'type': {
			// A number or a flag is where a model most often slips into words.
			const [key, child] =
				find((candidate) => typeof candidate.type === 'string' && candidate.type !== 'string') ??
				find((candidate) => typeof candidate.type === 'string') ??
				[];
			if (key !== undefined && child) broken[key] = WRONG_TYPE[child.type as string];
			return broken;
		}
		case 'extra':
			return { ...broken, note: 'added without being asked' };
		case 'items': {
			const [key, child] = find((candidate) => candidate.type === 'array') ?? [];
			if (key === undefined || !child) return broken;
			const items = isNode(child.items) ? child.items : {};
			const list = [...((broken[key] as unknown[]) ?? [])];
			if (typeof items.maximum === 'number') list[0] = items.maximum + 1;
			else if (typeof child.maxItems === 'number') while (list.length <= child.maxItems) list.push(list[0]);
			else list.push(WRONG_TYPE[String(items.type)] ?? null);
			broken[key] = list;
			return broken;
		}
		default:
			return broken;
	}
}

export interface SchemaAnswerInput {
	schema: unknown;
	category: string;
	answer: string;
	/** The rule to break, while the conversation has fewer corrections than `misses`. */
	miss?: { rule: MissRule; misses: number };
	/** Assistant turns already in the conversation: the corrections asked so far. */
	corrections: number;
}

export function schemaAnswer(input: SchemaAnswerInput): string {
	const context = { root: input.schema, category: input.category, answer: input.answer };
	const fitting = sample(input.schema, '', context);
	if (!input.miss || input.corrections >= input.miss.misses || !isNode(fitting)) return JSON.stringify(fitting);
	if (input.miss.rule === 'prose') return `Sure! Here is the ticket's category: ${input.category}.`;
	return JSON.stringify(miss(fitting, input.miss.rule, input.schema, input.schema));
}

const INSTRUCTION = /JSON Schema:\s*(\{[\s\S]*\})\s*$/;

/** Where a request asks for a schema: `response_format`, or (a model reading its prompt) a system message ending in one. */
export function wantedSchema(request: {
	response_format?: { type: string; json_schema?: { schema?: unknown } };
	messages: Array<{ role: string; content: unknown }>;
}): unknown {
	if (request.response_format?.type === 'json_schema') return request.response_format.json_schema?.schema;
	const systemTexts = request.messages.flatMap(({ role, content }) => (role === 'system' && typeof content === 'string' ? [content] : []));
	return firstJsonMatch(INSTRUCTION, systemTexts);
}

/** The JSON in the first text whose pattern's first group parses: what a prompt asks the answer to fit. */
export function firstJsonMatch(pattern: RegExp, texts: string[]): unknown {
	for (const text of texts) {
		const match = pattern.exec(text);
		if (!match) continue;
		try {
			return JSON.parse(match[1]) as unknown;
		} catch {
			continue;
		}
	}
	return undefined;
}
