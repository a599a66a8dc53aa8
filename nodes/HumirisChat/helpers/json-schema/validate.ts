import type { CompiledSchema, Schema } from './compile';
import { arrayRules } from './rules-array';
import { combineRules } from './rules-combine';
import { objectRules } from './rules-object';
import { anyValueRules, numberRules, stringRules } from './rules-scalar';
import { describeValue, type Rule, type RuleContext, type Violation } from './violation';

export type { Violation } from './violation';

const RULES: Rule[] = [anyValueRules, objectRules, arrayRules, stringRules, numberRules, combineRules];

/**
 * Every violation of the value against the compiled schema, in schema order; none when it
 * fits. Applies each keyword beside a `$ref` too (as JSON Schema 2019-09 and later do), so no
 * rule written in the schema goes unchecked.
 */
export function validate(compiled: CompiledSchema, value: unknown): Violation[] {
	const check = (schema: Schema, value: unknown, path: Violation['path'], seen: ReadonlySet<object>): Violation[] => {
		if (schema === true) return [];
		if (schema === false) return [{ path, rule: 'false schema', expected: 'no value is allowed here', got: describeValue(value) }];
		// Back at a schema already being applied to this same value: a $ref loop, which adds no rule.
		if (seen.has(schema)) return [];
		if (schema.nullable === true && value === null) return [];
		const applying = new Set(seen).add(schema);
		const out: Violation[] = [];
		const context: RuleContext = {
			compiled,
			schema,
			path,
			inside: (sub, child, step) => check(sub, child, [...path, step], new Set()),
			here: (sub, same) => check(sub, same, path, applying),
			miss: (rule, expected, got, at = path) => out.push({ path: at, rule, expected, ...(got === undefined ? {} : { got }) }),
			add: (violations) => out.push(...violations),
		};
		for (const rule of RULES) rule(value, context);
		return out;
	};
	return check(compiled.root, value, [], new Set());
}
