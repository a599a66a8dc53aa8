/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test-only code that runs in plain Node, never shipped */
import { LangchainChatModelAdapter } from '@n8n/ai-utilities';
import path from 'node:path';
import type { IDataObject } from 'n8n-workflow';

import type { ChatCompletion } from '../../nodes/shared/api-types';
import { readingImageParts } from '../../nodes/LmChatHumiris/helpers/image-blocks';
import { HumirisChatModel } from '../../nodes/LmChatHumiris/model';
import { png } from '../fixtures/images';

type Messages = typeof import('@langchain/core/messages');

/** LangChain's messages from the copy n8n's SDK adapter loads, as the Agent's are. */
const { HumanMessage } = (() => {
	const utilities = path.dirname(require.resolve('@n8n/ai-utilities/package.json'));
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(require.resolve('@langchain/core/messages', { paths: [utilities] })) as Messages;
})();
type HumanMessage = InstanceType<Messages['HumanMessage']>;

/** What the Humiris Chat Model sent, through n8n's own SDK adapter, for the Agent's image message. */
async function sentFor(message: HumanMessage, wrap: boolean, bind = false): Promise<IDataObject[]> {
	const bodies: IDataObject[] = [];
	const send = async (body: IDataObject): Promise<ChatCompletion> => {
		bodies.push(body);
		return { choices: [{ message: { role: 'assistant', content: 'seen' }, finish_reason: 'stop' }] };
	};
	let adapter = new LangchainChatModelAdapter(new HumirisChatModel('Humiris/humiris-moai', send));
	if (wrap) adapter = readingImageParts(adapter);
	const model = bind ? (adapter.bindTools([]) as LangchainChatModelAdapter) : adapter;
	// The root @langchain/core is another copy than the adapter's: the same message, typed twice.
	await model.invoke([message] as unknown as Parameters<typeof model.invoke>[0]);
	return (bodies[0].messages as IDataObject[]).map((sent) => sent);
}

const IMAGE = png();
// The Agent's "Automatically Passthrough Binary Images" message, as n8n 2.41.1 builds it.
const agentMessage = () =>
	new HumanMessage({ content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${IMAGE.toString('base64')}` } }] });

describe('the Agent passthrough images through the SDK adapter', () => {
	it('are dropped by the adapter alone (why readingImageParts exists)', async () => {
		expect(await sentFor(agentMessage(), false)).toEqual([{ role: 'user', content: '' }]);
	});

	it.each([false, true])('reach Humiris as image_url parts with the same bytes (tools bound: %s)', async (bind) => {
		expect(await sentFor(agentMessage(), true, bind)).toEqual([
			{ role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${IMAGE.toString('base64')}` } }] },
		]);
	});

	it('keep the text beside them, and leave the Agent its own message unchanged', async () => {
		const message = new HumanMessage({ content: [{ type: 'text', text: 'Total?' }, { type: 'image_url', image_url: 'https://example.com/a.png' }] });
		expect(await sentFor(message, true)).toEqual([
			{ role: 'user', content: [{ type: 'text', text: 'Total?' }, { type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] },
		]);
		expect(message.content).toEqual([{ type: 'text', text: 'Total?' }, { type: 'image_url', image_url: 'https://example.com/a.png' }]);
	});
});
