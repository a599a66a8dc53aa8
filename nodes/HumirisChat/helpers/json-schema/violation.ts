import type { CompiledSchema, Schema } from './compile';
import { jsonTypeOf, preview } from './json-value';

/** One way a value misses its schema: where (a JSON path), which rule, and what the rule wants. */
export interface Violation {
	path: Array<string | number>;
	rule: string;
	expected: string;
	/** What was there instead, when saying it helps. */
	got?: string;
}

/** What a keyword's rule sees: its schema object, where the value is, and how to apply subschemas. */
export interface RuleContext {
	compiled: CompiledSchema;
	schema: Record<string, unknown>;
	path: Violation['path'];
	/** A subschema applied to a value inside this one (an item, a property). */
	inside(schema: Schema, value: unknown, step: string | number): Violation[];
	/** A subschema applied to this same value (allOf, $ref …). */
	here(schema: Schema, value: unknown): Violation[];
	miss(rule: string, expected: string, got?: string, at?: Violation['path']): void;
	add(violations: Violation[]): void;
}

export type Rule = (value: unknown, context: RuleContext) => void;

export function counted(count: number, one: string, many: string): string {
	return `${count} ${count === 1 ? one : many}`;
}

export function describeValue(value: unknown): string {
	const type = jsonTypeOf(value);
	if (type === 'null' || type === undefined) return String(value);
	if (type === 'object') return 'an object';
	if (type === 'array') return `an array of ${counted((value as unknown[]).length, 'item', 'items')}`;
	return `the ${type} ${preview(value)}`;
}
