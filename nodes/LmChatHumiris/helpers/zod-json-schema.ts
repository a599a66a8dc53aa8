import type { IDataObject } from 'n8n-workflow';

/**
 * Zod 3 and zod 4 schemas as JSON Schema (draft-07, in the shape zod-to-json-schema gives, which
 * is what n8n's SDK sends when it recognises a schema), read from their definitions alone.
 * A tool's schema may come from another copy of zod than any this package can load, so no
 * `instanceof` and no zod function: only the plain data every zod schema carries.
 */

type Record_ = Record<string, unknown>;

interface ZodView {
	kind: string;
	def: Record_;
	schema: Record_;
	description?: string;
	/** zod 4 only: "optional" when the schema accepts undefined as input. */
	optionalInput?: boolean;
}

const MAX_DEPTH = 32;
const PRIMITIVES = new Set(['string', 'number', 'integer', 'boolean', 'null']);

function isRecord(value: unknown): value is Record_ {
	return typeof value === 'object' && value !== null;
}

/** zod 4 keeps its definition under `_zod.def` (`type`), zod 3 under `_def` (`typeName`). */
export function zodView(schema: unknown): ZodView | undefined {
	if (!isRecord(schema)) return undefined;
	const internals = schema._zod;
	if (isRecord(internals) && isRecord(internals.def) && typeof internals.def.type === 'string') {
		const description = schema.description;
		return {
			kind: internals.def.type,
			def: internals.def,
			schema,
			description: typeof description === 'string' ? description : undefined,
			optionalInput: internals.optin === 'optional',
		};
	}
	const def = schema._def;
	if (isRecord(def) && typeof def.typeName === 'string' && def.typeName.startsWith('Zod')) {
		return {
			kind: def.typeName.slice(3).toLowerCase(),
			def,
			schema,
			description: typeof def.description === 'string' ? def.description : undefined,
		};
	}
	return undefined;
}

function checksOf(view: ZodView): Record_[] {
	const checks = Array.isArray(view.def.checks) ? view.def.checks : [];
	// zod 4 checks are schemas of their own, with the data under `_zod.def`.
	return checks.filter(isRecord).map((check) => (isRecord(check._zod) && isRecord(check._zod.def) ? check._zod.def : check));
}

const STRING_FORMATS: Record<string, string> = { email: 'email', url: 'uri', uuid: 'uuid', datetime: 'date-time', date: 'date', time: 'time' };

function stringSchema(view: ZodView): IDataObject {
	const out: IDataObject = { type: 'string' };
	for (const check of [view.def, ...checksOf(view)]) {
		const kind = String(check.kind ?? check.check ?? '');
		if (kind === 'min' || kind === 'min_length') out.minLength = (check.value ?? check.minimum) as number;
		if (kind === 'max' || kind === 'max_length') out.maxLength = (check.value ?? check.maximum) as number;
		if (kind === 'length' || kind === 'length_equals') out.minLength = out.maxLength = (check.value ?? check.length) as number;
		const format = kind === 'string_format' ? String(check.format) : kind;
		if (STRING_FORMATS[format]) out.format = STRING_FORMATS[format];
		const pattern = check.regex ?? (format === 'regex' ? check.pattern : undefined);
		if (pattern instanceof RegExp) out.pattern = pattern.source;
	}
	return out;
}

function numberSchema(view: ZodView): IDataObject {
	const out: IDataObject = { type: 'number' };
	for (const check of [view.def, ...checksOf(view)]) {
		const kind = String(check.kind ?? check.check ?? '');
		if (kind === 'int' || (kind === 'number_format' && /int/.test(String(check.format)))) out.type = 'integer';
		const inclusive = check.inclusive !== false;
		if (kind === 'min' || kind === 'greater_than') out[inclusive ? 'minimum' : 'exclusiveMinimum'] = check.value as number;
		if (kind === 'max' || kind === 'less_than') out[inclusive ? 'maximum' : 'exclusiveMaximum'] = check.value as number;
		if (kind === 'multipleOf' || kind === 'multiple_of') out.multipleOf = check.value as number;
	}
	return out;
}

function isOptionalProperty(view: ZodView): boolean {
	if (view.optionalInput !== undefined) return view.optionalInput;
	const isOptional = view.schema.isOptional;
	if (typeof isOptional === 'function') {
		try {
			return Boolean(isOptional.call(view.schema));
		} catch {
			// A refinement that throws on undefined: treat the property as required.
		}
	}
	return view.kind === 'optional' || view.kind === 'default';
}

function objectSchema(view: ZodView, depth: number): IDataObject {
	const rawShape = view.def.shape;
	const shape = (typeof rawShape === 'function' ? rawShape() : rawShape) as unknown;
	const properties: IDataObject = {};
	const required: string[] = [];
	for (const [key, property] of Object.entries(isRecord(shape) ? shape : {})) {
		const propertyView = zodView(property);
		properties[key] = convert(property, depth + 1);
		if (propertyView && !isOptionalProperty(propertyView)) required.push(key);
	}
	const out: IDataObject = { type: 'object', properties };
	if (required.length) out.required = required;
	const catchall = zodView(view.def.catchall);
	if (catchall && catchall.kind !== 'never') {
		out.additionalProperties = catchall.kind === 'unknown' || catchall.kind === 'any' ? true : convert(view.def.catchall, depth + 1);
	} else {
		out.additionalProperties = view.def.unknownKeys === 'passthrough';
	}
	return out;
}

function arraySchema(view: ZodView, depth: number): IDataObject {
	const out: IDataObject = { type: 'array', items: convert(view.def.element ?? view.def.type, depth + 1) };
	const bound = (value: unknown) => (isRecord(value) ? (value.value as number) : undefined);
	if (bound(view.def.minLength) !== undefined) out.minItems = bound(view.def.minLength);
	if (bound(view.def.maxLength) !== undefined) out.maxItems = bound(view.def.maxLength);
	if (bound(view.def.exactLength) !== undefined) out.minItems = out.maxItems = bound(view.def.exactLength);
	for (const check of checksOf(view)) {
		if (check.check === 'min_length') out.minItems = check.minimum as number;
		if (check.check === 'max_length') out.maxItems = check.maximum as number;
		if (check.check === 'length_equals') out.minItems = out.maxItems = check.length as number;
	}
	return out;
}

function jsonType(value: unknown): string | undefined {
	if (value === null) return 'null';
	if (typeof value === 'bigint') return 'integer';
	return ['string', 'number', 'boolean'].includes(typeof value) ? typeof value : undefined;
}

function enumSchema(values: unknown[]): IDataObject {
	const types = [...new Set(values.map(jsonType))];
	if (types.length === 1 && types[0]) return values.length === 1 ? { type: types[0], const: values[0] as string } : { type: types[0], enum: values as string[] };
	return { enum: values as string[] };
}

function nativeEnumValues(values: unknown): unknown[] {
	if (!isRecord(values)) return [];
	// A numeric TypeScript enum also maps each number back to its name: keep the numbers.
	return Object.keys(values)
		.filter((key) => typeof values[values[key] as string] !== 'number')
		.map((key) => values[key]);
}

/** A union of plain primitives is one `type` list, as zod-to-json-schema writes it. */
function unionSchema(options: unknown[], depth: number): IDataObject {
	const converted = options.map((option) => convert(option, depth + 1));
	const plain = converted.every((schema) => Object.keys(schema).length === 1 && PRIMITIVES.has(schema.type as string));
	if (plain && converted.length) {
		const types = [...new Set(converted.map((schema) => schema.type as string))];
		return { type: types.length === 1 ? types[0] : types };
	}
	return { anyOf: converted };
}

function nullableSchema(inner: IDataObject): IDataObject {
	const type = inner.type;
	if (Object.keys(inner).length === 1 && typeof type === 'string' && PRIMITIVES.has(type)) return { type: [type, 'null'] };
	return { anyOf: [inner, { type: 'null' }] };
}

function defaultValue(def: Record_): unknown {
	const value = def.defaultValue;
	return typeof value === 'function' ? value() : value;
}

function convertView(view: ZodView, depth: number): IDataObject {
	const { def } = view;
	switch (view.kind) {
		case 'string':
			return stringSchema(view);
		case 'number':
			return numberSchema(view);
		case 'bigint':
			return { type: 'integer', format: 'int64' };
		case 'boolean':
			return { type: 'boolean' };
		case 'null':
			return { type: 'null' };
		case 'date':
			return { type: 'string', format: 'date-time' };
		case 'undefined':
		case 'never':
		case 'void':
			return { not: {} };
		case 'object':
			return objectSchema(view, depth);
		case 'array':
			return arraySchema(view, depth);
		case 'set':
			return { type: 'array', uniqueItems: true, items: convert(def.valueType, depth + 1) };
		case 'tuple': {
			const items = (Array.isArray(def.items) ? def.items : []).map((item) => convert(item, depth + 1));
			const out: IDataObject = { type: 'array', minItems: items.length, items };
			if (zodView(def.rest)) out.additionalItems = convert(def.rest, depth + 1);
			else out.maxItems = items.length;
			return out;
		}
		case 'record':
			return { type: 'object', additionalProperties: convert(def.valueType, depth + 1) };
		case 'literal':
			return enumSchema(Array.isArray(def.values) ? def.values : [def.value]);
		case 'enum':
			return enumSchema(Array.isArray(def.values) ? def.values : Object.values(isRecord(def.entries) ? def.entries : {}));
		case 'nativeenum':
			return enumSchema(nativeEnumValues(def.values));
		case 'union':
		case 'discriminatedunion':
			return unionSchema(Array.isArray(def.options) ? def.options : [...((def.options as Map<unknown, unknown>)?.values?.() ?? [])], depth);
		case 'intersection':
			return { allOf: [convert(def.left, depth + 1), convert(def.right, depth + 1)] };
		case 'nullable':
			return nullableSchema(convert(def.innerType, depth + 1));
		case 'default':
			return { ...convert(def.innerType, depth + 1), default: defaultValue(def) as string };
		case 'optional':
		case 'nonoptional':
		case 'prefault':
		case 'catch':
		case 'readonly':
		case 'success':
			return convert(def.innerType, depth + 1);
		case 'branded':
		case 'promise':
			return convert(def.type ?? def.innerType, depth + 1);
		case 'effects':
			// A transform or refinement: the model writes the input, so the input's schema.
			return convert(def.schema, depth + 1);
		case 'pipe':
		case 'pipeline':
			return convert(def.in, depth + 1);
		case 'lazy':
			return typeof def.getter === 'function' ? convert(def.getter(), depth + 1) : {};
		default:
			// any, unknown, and what JSON Schema cannot say (functions, maps, symbols…): no constraint.
			return {};
	}
}

function convert(schema: unknown, depth: number): IDataObject {
	const view = zodView(schema);
	if (!view || depth > MAX_DEPTH) return {};
	const out = convertView(view, depth);
	if (view.description !== undefined) out.description = view.description;
	return out;
}

export function zodToJsonSchema(schema: unknown): IDataObject {
	return { ...convert(schema, 0), $schema: 'http://json-schema.org/draft-07/schema#' };
}
