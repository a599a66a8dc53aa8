import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { HumirisApi } from '../../credentials/HumirisApi.credentials';
import { LmChatHumiris } from '../../nodes/LmChatHumiris/LmChatHumiris.node';
import { runWorkflow, SOURCE_NODE_NAME, type RunResult } from '../engine';
import { ModelProbe } from '../engine/fixtures/model-probe-node';
import { simulatorCredential } from '../node/setup';
import type { Simulator } from '../simulator';

export const PROBE = 'Model Probe';
export const MODEL = 'Humiris Chat Model';

export interface ModelRun {
	/** The probe's mode: invoke, stream, tools or abort. */
	mode?: string;
	prompt?: string;
	abortAfterMs?: number;
	/** Binds the calculator (in invoke and stream modes; the tool modes always bind tools). */
	bindCalculator?: boolean;
	/** Binds the order lookup beside the calculator, so one answer can call both. */
	bindOrderLookup?: boolean;
	/** The Humiris Chat Model's parameters. */
	parameters?: INodeParameters;
	credentials?: ICredentialDataDecryptedObject;
	signal?: AbortSignal;
}

/**
 * Emit Items → Model Probe, with Humiris Chat Model on the probe's ai_languageModel input:
 * n8n-core supplies the model through the SDK's LangChain adapter, as it does for an Agent.
 */
export async function runModel(simulator: Simulator, run: ModelRun = {}): Promise<RunResult> {
	return await runWorkflow({
		nodeTypes: [ModelProbe, LmChatHumiris],
		credentialTypes: [HumirisApi],
		credentials: { humirisApi: simulatorCredential(simulator, run.credentials) },
		nodes: [
			{
				type: 'modelProbe',
				name: PROBE,
				parameters: { mode: run.mode ?? 'invoke', prompt: run.prompt ?? 'Hello', abortAfterMs: run.abortAfterMs ?? 0, bindCalculator: run.bindCalculator ?? false, bindOrderLookup: run.bindOrderLookup ?? false },
			},
			{ type: 'lmChatHumiris', name: MODEL, parameters: run.parameters ?? {} },
		],
		connections: {
			[SOURCE_NODE_NAME]: { main: [[{ node: PROBE, type: 'main', index: 0 }]] },
			[MODEL]: { ai_languageModel: [[{ node: PROBE, type: 'ai_languageModel', index: 0 }]] },
		},
		target: PROBE,
		signal: run.signal,
	});
}

export function probeOutput(result: RunResult): IDataObject {
	return result.items[0]?.[0]?.json ?? {};
}

/** What n8n logged for each model call: the model node's ai_languageModel output, call by call. */
export function modelCalls(result: RunResult): IDataObject[] {
	return (result.runData[MODEL] ?? []).map((task) => task.data?.ai_languageModel?.[0]?.[0]?.json ?? {});
}
