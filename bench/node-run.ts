import type { IDataObject } from 'n8n-workflow';

import { HumirisApi } from '../credentials/HumirisApi.credentials';
import { HumirisChat } from '../nodes/HumirisChat/HumirisChat.node';
import { runWorkflow, type RunResult } from '../test/engine';
import type { CredentialTypeClass } from '../test/engine/credential-types';
import type { RemoteSimulator } from './simulator-client';

export interface NodeRunSettings {
	concurrency: number;
	maxRetries?: number;
	/** The fault run drops connections and expects them resent: it opts in to paying twice. */
	retryUnconfirmed?: boolean;
	tokenBudget?: number;
	reuseAnswers?: 'off' | 'withinRun' | 'minutes';
}

/** The shipped credential with its pre-function `authenticate`: the B side of the A/B. */
export class GenericAuthHumirisApi extends HumirisApi {
	constructor() {
		super();
		Object.defineProperty(this, 'authenticate', {
			value: {
				type: 'generic',
				properties: {
					headers: { apikey: '={{$credentials.apiKey}}', mixTuningId: '={{$credentials.mixTuningId}}' },
				},
			},
		});
	}
}

export interface NodeRun {
	/** The node's own executionTime from runData: its execute() only, not the engine around it. */
	executionMs: number;
	/** runWorkflow from call to return: engine setup, the source node and the harness included. */
	wallMs: number;
	result: RunResult;
}

/** A unique prompt per item, so every answer can be traced back to the item that asked it. */
export function promptItems(count: number): IDataObject[] {
	return Array.from({ length: count }, (_, index) => ({
		prompt: `Summarise ticket #${index} for the support team.`,
	}));
}

const TICKET = /ticket #(\d+)\b/;

/** The item index a simplified answer was given for, from the prompt the simulator echoes. */
export function ticketOf(json: IDataObject): number | undefined {
	const match = typeof json.content === 'string' ? TICKET.exec(json.content) : null;
	return match ? Number(match[1]) : undefined;
}

// Node tries HumirisChat.node.json (the codex file beside it) before the .ts that ts-node adds.
if (typeof HumirisChat !== 'function') {
	throw new Error('The benchmark needs TS_NODE_PREFER_TS_EXTS=true; run it with `npm run bench`.');
}

/**
 * The node with its default parameters (prompt read from the item, simplified output) and
 * the given pool settings. The harness's leak guard stays on: at 10,000 items it costs under 1 % of the
 * run, and a benchmark whose output leaked the API key should fail, not report numbers.
 */
export async function runNode(
	simulator: RemoteSimulator,
	items: IDataObject[],
	settings: NodeRunSettings,
	credentialType: CredentialTypeClass = HumirisApi,
): Promise<NodeRun> {
	const started = performance.now();
	const result = await runWorkflow({
		nodeTypes: [HumirisChat],
		credentialTypes: [credentialType],
		credentials: {
			humirisApi: { apiKey: simulator.apiKey, mixTuningId: simulator.mixTuningId, baseUrl: simulator.url },
		},
		items,
		node: {
			type: 'humirisChat',
			parameters: { options: { ...settings } },
			onError: 'continueRegularOutput',
		},
	});
	const wallMs = performance.now() - started;
	const [nodeName] = result.nodeNames;
	const task = result.runData[nodeName]?.at(-1);
	if (!task) throw new Error(`The node "${nodeName}" did not run: ${result.error?.message ?? result.status}`);
	return { executionMs: task.executionTime, wallMs, result };
}
