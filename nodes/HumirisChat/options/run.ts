import { RETRY_SETTINGS } from '../../shared/settings/request';
import { numberSetting } from '../../shared/settings/setting';
import { COST_OPTIONS } from './cost';

/** Options that shape the whole run: read once, from the first item, like n8n's own batching options. */
export const RUN_OPTIONS = {
	...RETRY_SETTINGS,
	concurrency: numberSetting({
		name: 'concurrency',
		displayName: 'Concurrency',
		default: 5,
		min: 1,
		max: 50,
		integer: true,
		description:
			'How many requests to have in flight at once, from 1 to 50. 1 sends the items one after the other. Output order always follows input order.',
	}),
	...COST_OPTIONS,
};
