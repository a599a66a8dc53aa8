import type { INodeProperties } from 'n8n-workflow';

import { REQUEST_SETTINGS, RETRY_SETTINGS } from './request';
import { SAMPLING_SETTINGS } from './sampling';
import { propertiesOf, type Settings } from './setting';

/** The options both nodes offer, with the same names, bounds and meaning. */
export const SHARED_OPTIONS = { ...SAMPLING_SETTINGS, ...REQUEST_SETTINGS, ...RETRY_SETTINGS };

/** A node's Options collection, in alphabetical order as n8n lists them. */
export function optionsCollection(settings: Settings, annotate = (property: INodeProperties) => property): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: propertiesOf(settings)
			.map(annotate)
			.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}
