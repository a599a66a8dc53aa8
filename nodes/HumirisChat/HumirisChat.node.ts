import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { nodeProperties } from './description';
import { readRunSettings } from './helpers/parameters';
import { runItems } from './helpers/runner';

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
		const outcomes = await runItems(this, credentials, readRunSettings(this));
		if (this.getExecutionCancelSignal()?.aborted) {
			// n8n-core recognises a stop by the word "canceled" (US spelling) in the error.
			throw new NodeOperationError(this.getNode(), 'The execution was canceled.');
		}

		const output: INodeExecutionData[] = [];
		let truncated = 0;
		// Items a failure stopped from launching leave holes; without "continue on fail" the
		// first failure is thrown before any hole is reached.
		outcomes.forEach((outcome, itemIndex) => {
			if ('failure' in outcome) {
				if (!this.continueOnFail()) throw outcome.failure.error;
				output.push({ json: { error: outcome.failure.json }, pairedItem: { item: itemIndex } });
				return;
			}
			if (outcome.truncated) truncated++;
			output.push({ json: outcome.json, pairedItem: { item: itemIndex } });
		});

		if (truncated > 0) {
			this.addExecutionHints({
				message: `${truncated} of ${outcomes.length} answers were cut off at the Maximum Tokens limit (finish reason "length"); their "truncated" field is true. Raise Maximum Tokens to get whole answers.`,
				location: 'outputPane',
			});
		}
		return [output];
	}
}
