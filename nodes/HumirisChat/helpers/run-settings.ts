import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { retryPolicy } from '../../shared/settings/request';
import { readSettings } from '../../shared/settings/setting';
import type { RetryPolicy } from '../../shared/transport/retry';
import { RUN_OPTIONS } from '../options';

/** Which identical requests share one answer: none, those of this run, or any in this process for a while. */
export type ReusePolicy = { mode: 'off' } | { mode: 'withinRun' } | { mode: 'minutes'; maxAgeMs: number };

/** How the whole run behaves. */
export interface RunSettings {
	concurrency: number;
	policy: RetryPolicy;
	/** Tokens the run may use; 0 sets no budget. */
	tokenBudget: number;
	reuse: ReusePolicy;
}

function reusePolicy(mode: 'off' | 'withinRun' | 'minutes', minutes: number): ReusePolicy {
	return mode === 'minutes' ? { mode, maxAgeMs: minutes * 60_000 } : { mode };
}

/** Read once, from the first item, like n8n's own batching options. */
export function readRunSettings(context: IExecuteFunctions): RunSettings {
	const options = readSettings(context.getNodeParameter('options', 0, {}) as IDataObject, RUN_OPTIONS);
	return {
		concurrency: options.concurrency,
		policy: retryPolicy(options),
		tokenBudget: options.tokenBudget,
		reuse: reusePolicy(options.reuseAnswers, options.reuseMinutes),
	};
}
