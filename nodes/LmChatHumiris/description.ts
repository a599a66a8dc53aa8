import type { INodeProperties } from 'n8n-workflow';

import {
	frequencyPenaltyOption,
	maxRetriesOption,
	maxRetryWaitOption,
	maxTokensOption,
	mixTuningIdOption,
	modelProperty,
	presencePenaltyOption,
	seedOption,
	stopOption,
	temperatureOption,
	timeoutOption,
	topPOption,
} from '../shared/options';

export const modelNodeProperties: INodeProperties[] = [
	modelProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			frequencyPenaltyOption,
			maxRetriesOption,
			maxRetryWaitOption,
			maxTokensOption,
			mixTuningIdOption,
			presencePenaltyOption,
			temperatureOption,
			seedOption,
			stopOption,
			timeoutOption,
			topPOption,
		],
	},
];
