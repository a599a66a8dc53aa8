import type { Schema } from './compile';
import { formatPath } from './path';
import type { Rule, Violation } from './violation';

/** An alternative of the value's own type is closer than any of another type. */
function closest(results: Violation[][], depth: number): Violation[] {
	const distance = (violations: Violation[]) =>
		violations.length + (violations.some((violation) => violation.rule === 'type' && violation.path.length === depth) ? 1000 : 0);
	return results.reduce((best, violations) => (distance(violations) < distance(best) ? violations : best));
}

/** allOf, anyOf, oneOf, not, if/then/else and $ref: subschemas applied to this same value. */
export const combineRules: Rule = (value, { schema, compiled, path, here, miss, add }) => {
	for (const sub of (schema.allOf as Schema[] | undefined) ?? []) add(here(sub, value));
	for (const rule of ['anyOf', 'oneOf'] as const) {
		const alternatives = schema[rule] as Schema[] | undefined;
		if (!alternatives) continue;
		const results = alternatives.map((sub) => here(sub, value));
		const matching = results.flatMap((violations, index) => (violations.length === 0 ? [index + 1] : []));
		if (matching.length === 0) {
			const hint = closest(results, path.length)
				.map((violation) => `${formatPath(violation.path)} ${violation.expected}`)
				.join('; ');
			miss(rule, `must match ${rule === 'anyOf' ? 'at least' : 'exactly'} one of ${alternatives.length} alternatives, and matches none (the closest: ${hint})`);
		} else if (rule === 'oneOf' && matching.length > 1) {
			miss(rule, `must match exactly one of ${alternatives.length} alternatives, and matches ${matching.length} (${matching.join(', ')})`);
		}
	}
	if (schema.not !== undefined && here(schema.not as Schema, value).length === 0) {
		miss('not', 'must not match the schema in "not"');
	}
	if (schema.if !== undefined) {
		const branch = here(schema.if as Schema, value).length === 0 ? 'then' : 'else';
		if (schema[branch] !== undefined) add(here(schema[branch] as Schema, value));
	}
	if (typeof schema.$ref === 'string') add(here(compiled.resolve(schema.$ref), value));
};
