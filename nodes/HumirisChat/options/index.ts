import type { INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../../shared/settings/options-collection';
import { REQUEST_SETTINGS } from '../../shared/settings/request';
import { SAMPLING_SETTINGS } from '../../shared/settings/sampling';
import { BODY_OPTIONS } from './body';
import { IMAGE_OPTIONS } from './images';
import { OUTPUT_OPTIONS } from './output';
import { RESPONSE_FORMAT_OPTIONS } from './response-format';
import { RUN_OPTIONS } from './run';

export { RUN_OPTIONS };

/** Options read for each item: expressions in them follow the item. */
export const ITEM_OPTIONS = {
	...SAMPLING_SETTINGS,
	...REQUEST_SETTINGS,
	...OUTPUT_OPTIONS,
	...RESPONSE_FORMAT_OPTIONS,
	...BODY_OPTIONS,
	...IMAGE_OPTIONS,
};

const READ_ONCE = 'Read once per run, from the first item.';
const runOptionNames = new Set(Object.values(RUN_OPTIONS).map((setting) => setting.property.name));

export const optionsProperty: INodeProperties = optionsCollection({ ...RUN_OPTIONS, ...ITEM_OPTIONS }, (property) =>
	runOptionNames.has(property.name) ? { ...property, description: `${property.description} ${READ_ONCE}` } : property,
);
