import type {
	INodeType,
	INodeTypeDescription,
	ISupplyDataFunctions,
	SupplyData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { modelNodeProperties } from './description';
import { readModelSettings, type ModelSettings } from './helpers/settings';

type ModelModule = typeof import('./model');

/**
 * n8n provides @n8n/ai-node-sdk from 2.16 on. Loaded here rather than at the top of the file,
 * so that on an older n8n the package (and Humiris Chat) still loads and this node says why
 * it cannot run.
 */
async function loadModelModule(context: ISupplyDataFunctions): Promise<ModelModule> {
	try {
		return await import('./model');
	} catch (error) {
		throw new NodeOperationError(
			context.getNode(),
			'Humiris Chat Model needs n8n 2.16 or later: this n8n does not provide the AI node SDK (@n8n/ai-node-sdk) it is built on. Update n8n, or use the Humiris Chat node instead.',
			{ description: error instanceof Error ? error.message : String(error) },
		);
	}
}

export class LmChatHumiris implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Humiris Chat Model',
		name: 'lmChatHumiris',
		icon: { light: 'file:../../icons/humiris.svg', dark: 'file:../../icons/humiris.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["model"] }}',
		description: 'Run an AI Agent or chain on the Humiris MoAI mix',
		defaults: { name: 'Humiris Chat Model' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiLanguageModel],
		outputNames: ['Model'],
		credentials: [{ name: 'humirisApi', required: true }],
		properties: modelNodeProperties,
	};

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		const credentials = await this.getCredentials('humirisApi', itemIndex);
		let settings: ModelSettings;
		try {
			settings = readModelSettings(this, itemIndex, credentials);
		} catch (error) {
			// The same words Humiris Chat gives the same value, before the Agent sends anything. As
			// a configuration error n8n shows it as it is, not as "Error in sub-node".
			throw new NodeOperationError(this.getNode(), error instanceof Error ? error.message : String(error), {
				description: 'No request was sent.',
				functionality: 'configuration-node',
				itemIndex,
			});
		}
		const { supplyHumirisModel } = await loadModelModule(this);
		return supplyHumirisModel(this, settings);
	}
}
