import type { ICredentialDataDecryptedObject, IDataObject, ISupplyDataFunctions } from 'n8n-workflow';

import { mixTuningIdFor, readConnection } from '../../shared/settings/connection';
import { SHARED_OPTIONS } from '../../shared/settings/options-collection';
import { MODEL_SETTING, retryPolicy } from '../../shared/settings/request';
import { samplingFields } from '../../shared/settings/sampling';
import { readSettings } from '../../shared/settings/setting';
import type { RetryPolicy } from '../../shared/transport/retry';

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
	/** What no error may show. */
	secrets: string[];
}

/** Every value checked before the Agent can send anything, by the same rules as Humiris Chat's. */
export function readModelSettings(
	context: ISupplyDataFunctions,
	itemIndex: number,
	credentials: ICredentialDataDecryptedObject,
): ModelSettings {
	const connection = readConnection(credentials);
	const options = readSettings(context.getNodeParameter('options', itemIndex, {}) as IDataObject, SHARED_OPTIONS);
	return {
		model: MODEL_SETTING.read(context.getNodeParameter('model', itemIndex, MODEL_SETTING.property.default)),
		sampling: samplingFields(options),
		baseUrl: connection.baseUrl,
		timeoutMs: options.timeout,
		policy: retryPolicy(options),
		credentials: mixTuningIdFor(connection, options.mixTuningId),
		secrets: connection.secrets,
	};
}
