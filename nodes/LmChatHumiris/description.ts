import type { INodeProperties } from 'n8n-workflow';

import { modelProperty, withSharedOptions } from '../shared/options';

/** The model node has nothing of its own to add: every option means what it means on Humiris Chat. */
export const modelNodeProperties: INodeProperties[] = [
	modelProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: withSharedOptions([]),
	},
];
