import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { nodeProperties } from './description';
import { readConnection, secretsOf, type Connection } from '../shared/settings/connection';
import { refuseRun } from './helpers/refuse-run';
import { runItems } from './helpers/runner';
import { readRunSettings, type RunSettings } from './helpers/run-settings';
import { summaryHint } from './helpers/summary';

export class HumirisChat implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Humiris Chat',
		name: 'humirisChat',
		icon: { light: 'file:../../icons/humiris.svg', dark: 'file:../../icons/humiris.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["model"] }}',
		description: 'Send each item to the Humiris MoAI chat completions API and get the answer and token usage',
		defaults: { name: 'Humiris Chat' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'humirisApi', required: true }],
		properties: nodeProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials('humirisApi');
		let connection: Connection;
		let settings: RunSettings;
		try {
			connection = readConnection(credentials);
			settings = readRunSettings(this);
		} catch (error) {
			return [refuseRun(this, error, secretsOf(credentials))];
		}
		const { outcomes, stats, schemaFallback } = await runItems(this, connection, settings);
		if (this.getExecutionCancelSignal()?.aborted) {
			// n8n-core recognises a stop by the word "canceled" (US spelling) in the error.
			throw new NodeOperationError(this.getNode(), 'The execution was canceled.');
		}

		const items = this.getInputData();
		const toErrorOutput = this.getNode().onError === 'continueErrorOutput';
		const output: INodeExecutionData[] = [];
		let truncated = 0;
		// Items a failure stopped from launching leave holes; without "continue on fail" the
		// first failure is thrown before any hole is reached.
		outcomes.forEach((outcome, itemIndex) => {
			if (outcome.truncated) truncated++;
			const input = items[itemIndex];
			const binary = outcome.keepInput && input.binary ? { binary: input.binary } : {};
			if ('failure' in outcome) {
				if (!this.continueOnFail()) throw outcome.failure.error;
				// n8n's error output takes only items whose json holds nothing but `error`, and adds
				// the input item's fields itself; the regular output gets them from us.
				const kept = outcome.keepInput && !toErrorOutput ? input.json : {};
				output.push({ json: { ...kept, error: outcome.failure.json }, ...binary, pairedItem: { item: itemIndex } });
				return;
			}
			output.push({ json: outcome.json, ...binary, pairedItem: { item: itemIndex } });
		});

		if (truncated > 0) {
			this.addExecutionHints({
				message: `${truncated} of ${outcomes.length} answers were cut off at the Maximum Tokens limit (finish reason "length"); their "truncated" field is true. Raise Maximum Tokens to get whole answers.`,
				location: 'outputPane',
			});
		}
		// n8n keeps a node's hints only when its run succeeds: a run that failed shows its error.
		const failed = outcomes.filter((outcome) => 'failure' in outcome).length;
		this.addExecutionHints(
			summaryHint(outcomes.filter((outcome) => 'json' in outcome).length, failed, stats, schemaFallback, settings),
		);
		return [output];
	}
}
