import type { Schema } from './compile';
import { isRecord } from './json-value';
import { counted, type Rule } from './violation';

function has(object: Record<string, unknown>, name: string): boolean {
	return Object.prototype.hasOwnProperty.call(object, name);
}

function allowedWords(names: string[], patterns: string[]): string {
	const listed = names.map((name) => JSON.stringify(name));
	if (patterns.length > 0) listed.push(`properties whose names match ${patterns.map((pattern) => JSON.stringify(pattern)).join(' or ')}`);
	if (listed.length === 0) return 'the object may have no properties';
	return `the object may only have ${listed.length > 1 ? `${listed.slice(0, -1).join(', ')} or ${listed[listed.length - 1]}` : listed[0]}`;
}

/**
 * required, properties, patternProperties, additionalProperties (for the names neither of
 * those covers), property counts, propertyNames and dependencies.
 */
export const objectRules: Rule = (value, { schema, compiled, path, inside, here, miss, add }) => {
	if (!isRecord(value)) return;
	const properties = isRecord(schema.properties) ? schema.properties : {};
	const patterns = Object.entries(isRecord(schema.patternProperties) ? schema.patternProperties : {});

	for (const name of (schema.required as string[] | undefined) ?? []) {
		if (!has(value, name)) miss('required', 'is missing: this property is required', undefined, [...path, name]);
	}
	for (const [name, child] of Object.entries(value)) {
		if (has(properties, name)) add(inside(properties[name] as Schema, child, name));
		const matching = patterns.filter(([pattern]) => compiled.pattern(pattern).test(name));
		for (const [, patternSchema] of matching) add(inside(patternSchema as Schema, child, name));
		if (has(properties, name) || matching.length > 0) continue;
		if (schema.additionalProperties === false) {
			miss('additionalProperties', `is not allowed: ${allowedWords(Object.keys(properties), patterns.map(([pattern]) => pattern))}`, undefined, [
				...path,
				name,
			]);
		} else if (schema.additionalProperties !== undefined) {
			add(inside(schema.additionalProperties as Schema, child, name));
		}
	}

	const count = Object.keys(value).length;
	if (typeof schema.minProperties === 'number' && count < schema.minProperties) {
		miss('minProperties', `must have at least ${counted(schema.minProperties, 'property', 'properties')}`, `${count}`);
	}
	if (typeof schema.maxProperties === 'number' && count > schema.maxProperties) {
		miss('maxProperties', `must have at most ${counted(schema.maxProperties, 'property', 'properties')}`, `${count}`);
	}
	if (schema.propertyNames !== undefined) {
		for (const name of Object.keys(value)) {
			for (const violation of inside(schema.propertyNames as Schema, name, name)) {
				miss('propertyNames', `the name ${violation.expected}`, violation.got, [...path, name]);
			}
		}
	}
	for (const [name, dependency] of Object.entries(isRecord(schema.dependencies) ? schema.dependencies : {})) {
		if (!has(value, name)) continue;
		if (Array.isArray(dependency)) {
			for (const needed of dependency as string[]) {
				if (!has(value, needed)) miss('dependencies', `is missing: it is required when "${name}" is present`, undefined, [...path, needed]);
			}
		} else {
			add(here(dependency as Schema, value));
		}
	}
};
