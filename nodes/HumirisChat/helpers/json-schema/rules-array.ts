import type { Schema } from './compile';
import { jsonEqual } from './json-value';
import { counted, type Rule } from './violation';

/** items (one schema, or a tuple with additionalItems after it), sizes, uniqueItems, contains. */
export const arrayRules: Rule = (value, { schema, path, inside, miss, add }) => {
	if (!Array.isArray(value)) return;
	const { items, additionalItems } = schema;
	value.forEach((item, index) => {
		if (!Array.isArray(items)) {
			if (items !== undefined) add(inside(items as Schema, item, index));
		} else if (index < items.length) {
			add(inside(items[index] as Schema, item, index));
		} else if (additionalItems === false) {
			miss('additionalItems', `is not allowed: the array may have at most ${counted(items.length, 'item', 'items')}`, undefined, [...path, index]);
		} else if (additionalItems !== undefined) {
			add(inside(additionalItems as Schema, item, index));
		}
	});
	if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
		miss('minItems', `must have at least ${counted(schema.minItems, 'item', 'items')}`, `${value.length}`);
	}
	if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
		miss('maxItems', `must have at most ${counted(schema.maxItems, 'item', 'items')}`, `${value.length}`);
	}
	if (schema.uniqueItems === true) {
		const repeat = value.findIndex((item, index) => value.slice(0, index).some((earlier) => jsonEqual(earlier, item)));
		if (repeat !== -1) {
			const first = value.findIndex((earlier) => jsonEqual(earlier, value[repeat]));
			miss('uniqueItems', 'must have no two equal items', `items ${first} and ${repeat} are equal`);
		}
	}
	if (schema.contains !== undefined && !value.some((item, index) => inside(schema.contains as Schema, item, index).length === 0)) {
		miss('contains', 'must have at least one item that matches the schema in "contains"');
	}
};
