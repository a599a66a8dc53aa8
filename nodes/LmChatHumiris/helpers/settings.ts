import type { ICredentialDataDecryptedObject, IDataObject, ISupplyDataFunctions } from 'n8n-workflow';

import {
	DEFAULT_MAX_RATE_LIMIT_WAIT_MS,
	DEFAULT_MAX_RETRIES,
	DEFAULT_MAX_RETRY_WAIT_MS,
	DEFAULT_MODEL,
	DEFAULT_TIMEOUT_MS,
} from '../../shared/options';
import { samplingFields, type SamplingOptions } from '../../shared/sampling';
import { trimBaseUrl } from '../../shared/transport/request';
import type { RetryPolicy } from '../../shared/transport/retry';

interface ModelOptions extends SamplingOptions {
	mixTuningId?: string;
	timeout?: number;
	maxRetries?: number;
	maxRetryWait?: number;
	maxRateLimitWait?: number;
}

/** Everything a model call needs from the node, read once when the Agent asks for the model. */
export interface ModelSettings {
	model: string;
	/** Sampling fields the user set, sent with every call. */
	sampling: IDataObject;
	baseUrl: string;
	timeoutMs: number;
	policy: RetryPolicy;
	/** Carries the MixTuning ID override, if any. */
	credentials: ICredentialDataDecryptedObject;
}

export function readModelSettings(
	context: ISupplyDataFunctions,
	itemIndex: number,
	credentials: ICredentialDataDecryptedObject,
): ModelSettings {
	const options = context.getNodeParameter('options', itemIndex, {}) as ModelOptions;
	const model = String(context.getNodeParameter('model', itemIndex, DEFAULT_MODEL)).trim() || DEFAULT_MODEL;
	const mixTuningId = options.mixTuningId?.trim();
	return {
		model,
		sampling: samplingFields(options),
		baseUrl: trimBaseUrl(credentials.baseUrl),
		timeoutMs: options.timeout ?? DEFAULT_TIMEOUT_MS,
		policy: {
			maxRetries: Math.max(0, Math.floor(options.maxRetries ?? DEFAULT_MAX_RETRIES)),
			maxWaitMs: Math.max(0, options.maxRetryWait ?? DEFAULT_MAX_RETRY_WAIT_MS),
			maxRateLimitWaitMs: Math.max(0, options.maxRateLimitWait ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS),
		},
		credentials: mixTuningId ? { ...credentials, mixTuningId } : credentials,
	};
}
