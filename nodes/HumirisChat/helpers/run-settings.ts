import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { retryPolicy } from '../../shared/settings/request';
import { readSettings } from '../../shared/settings/setting';
import type { RetryPolicy } from '../../shared/transport/retry';
import { RUN_OPTIONS } from '../options';

/** How the whole run behaves. */
export interface RunSettings {
	concurrency: number;
	policy: RetryPolicy;
}

/** Read once, from the first item, like n8n's own batching options. */
export function readRunSettings(context: IExecuteFunctions): RunSettings {
	const options = readSettings(context.getNodeParameter('options', 0, {}) as IDataObject, RUN_OPTIONS);
	return { concurrency: options.concurrency, policy: retryPolicy(options) };
}
