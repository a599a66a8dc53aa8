import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, jsonParse } from 'n8n-workflow';

export const SOURCE_TYPE_NAME = 'emitItems';

/**
 * Test-only start node that outputs the items a test hands it, standing in for the
 * Manual Trigger + Code node pair a user would put before the node under test.
 */
export class EmitItems implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Emit Items',
		name: SOURCE_TYPE_NAME,
		group: ['input'],
		version: 1,
		description: 'Outputs the items given to it as JSON',
		defaults: { name: 'Emit Items' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: [
			{ displayName: 'Items (JSON)', name: 'items', type: 'json', default: '[]' },
			// Binary data per item (by index), as a Read Binary File node would attach it.
			{ displayName: 'Binary (JSON)', name: 'binaries', type: 'json', default: '[]' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = jsonParse<IDataObject[]>(this.getNodeParameter('items', 0) as string);
		const binaries = jsonParse<Array<IBinaryKeyData | null>>(this.getNodeParameter('binaries', 0, '[]') as string);
		// Like a Code node, every emitted item traces back to the single start item.
		return [
			items.map((json, index) => ({
				json,
				...(binaries[index] ? { binary: binaries[index] } : {}),
				pairedItem: { item: 0 },
			})),
		];
	}
}
