/* eslint-disable @n8n/community-nodes/node-usable-as-tool -- a benchmark fixture run in the test engine, never loaded by n8n */
import type {
	IDataObject,
	IExecuteFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { HumirisApi } from '../credentials/HumirisApi.credentials';
import type { ChatCompletion } from '../nodes/shared/api-types';
import { readAnswer } from '../nodes/shared/transport/answer-body';
import { checkedBaseUrl } from '../nodes/shared/transport/request';
import { runWorkflow } from '../test/engine';
import type { RemoteSimulator } from './simulator-client';

/**
 * The floor under the node inside n8n: each item's request body sent exactly as Humiris
 * Chat's transport sends it (n8n's httpRequestWithAuthentication with the Humiris API
 * credential handed over decrypted, the answer streamed and read by the transport's own
 * reader, then parsed), through a pool of the same size, and nothing more: no parameters,
 * governor, Timeout, retries, redirects or output shaping. What Humiris Chat costs above
 * this is its own.
 */
export class HelperLoop implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'n8n request helper loop',
		name: 'helperLoop',
		group: ['transform'],
		version: 1,
		description: "n8n's request helper alone, for the benchmark",
		defaults: { name: 'Helper loop' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'humirisApi', required: true }],
		properties: [{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 10 }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const credentials = await this.getCredentials('humirisApi');
		const url = checkedBaseUrl(credentials.baseUrl).endpoint;
		const concurrency = this.getNodeParameter('concurrency', 0) as number;
		const output = new Array<INodeExecutionData>(items.length);
		const live = new AbortController().signal;
		let next = 0;
		const lane = async () => {
			while (next < items.length) {
				const index = next++;
				const response = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					'humirisApi',
					{
						method: 'POST',
						url,
						body: items[index].json.body as IDataObject,
						json: true,
						encoding: 'stream',
						returnFullResponse: true,
						ignoreHttpStatusErrors: true,
						disableFollowRedirect: true,
					},
					{ credentialsDecrypted: { id: '', name: '', type: 'humirisApi', data: credentials } },
				)) as IN8nHttpFullResponse;
				const read = await readAnswer(response.body, response.headers, live);
				const body = read.ok && typeof read.body === 'string' ? (JSON.parse(read.body) as ChatCompletion) : undefined;
				const content = body?.choices?.[0]?.message?.content;
				if (response.statusCode !== 200 || typeof content !== 'string') {
					throw new Error(`helper loop: request ${index} answered ${response.statusCode}`);
				}
				output[index] = { json: { content }, pairedItem: { item: index } };
			}
		};
		await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
		return [output];
	}
}

/** The bodies the node sent, sent again through the helper loop; its executionTime from runData. */
export async function runHelperLoop(simulator: RemoteSimulator, bodies: IDataObject[], concurrency: number): Promise<number> {
	const result = await runWorkflow({
		nodeTypes: [HelperLoop],
		credentialTypes: [HumirisApi],
		credentials: {
			humirisApi: { apiKey: simulator.apiKey, mixTuningId: simulator.mixTuningId, baseUrl: simulator.url },
		},
		items: bodies.map((body) => ({ body })),
		node: { type: 'helperLoop', parameters: { concurrency } },
	});
	const [nodeName] = result.nodeNames;
	const task = result.runData[nodeName]?.at(-1);
	const answered = (result.items[0] ?? []).filter(({ json }) => typeof json.content === 'string').length;
	if (!task || result.status !== 'success' || answered !== bodies.length) {
		throw new Error(`helper loop: ${answered}/${bodies.length} answered (${result.error?.message ?? result.status})`);
	}
	return task.executionTime;
}
