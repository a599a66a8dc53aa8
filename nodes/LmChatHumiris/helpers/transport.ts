import type { IDataObject, ISupplyDataFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ChatCompletion } from '../../shared/api-types';
import { HumirisRequestError, redactFailure } from '../../shared/transport/errors';
import { toNodeApiError } from '../../shared/presentation/n8n-error';
import { credentialGovernors } from '../../shared/transport/governor-registry';
import { cancelSignal, requestCompletion } from '../../shared/transport/request';
import { settle, withRetries } from '../../shared/transport/retry';
import type { ModelSettings } from './settings';

/** One model call: the body without model and sampling fields, and the caller's abort signal. */
export type SendCompletion = (body: IDataObject, signal?: AbortSignal) => Promise<ChatCompletion>;

/**
 * The model's only way out to Humiris: the shared transport, its per-request retries, the
 * credential's governor (shared with Humiris Chat and every other execution in this process),
 * and failures turned into the same plain-language NodeApiError Humiris Chat
 * throws, so the Agent shows "Humiris rejected the API key" rather than a stack.
 */
export function modelTransport(context: ISupplyDataFunctions, settings: ModelSettings): SendCompletion {
	const { secrets } = settings;
	return async (body, callSignal) => {
		const signal = cancelSignal(context, callSignal);
		const request = {
			baseUrl: settings.baseUrl,
			timeoutMs: settings.timeoutMs,
			credentials: settings.credentials,
			signal,
			body: { ...settings.sampling, ...body, model: settings.model },
		};
		const outcome = await settle(
			withRetries(() => requestCompletion.call(context, request), {
				policy: settings.policy,
				governor: credentialGovernors.for(settings.credentials),
				signal,
			}),
		);
		if (outcome.ok) return outcome.value;
		if (outcome.error instanceof HumirisRequestError) {
			throw toNodeApiError(context.getNode(), redactFailure(outcome.error.failure, secrets));
		}
		const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
		throw new NodeOperationError(context.getNode(), message);
	};
}
