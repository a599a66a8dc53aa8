/**
 * The only file that loads @n8n/ai-node-sdk at run time. The node file imports it lazily,
 * so an n8n without the SDK (1.x) still loads the package and says what it needs.
 */
import {
	BaseChatModel,
	supplyModel,
	type ChatModelConfig,
	type GenerateResult,
	type Message,
	type StreamChunk,
} from '@n8n/ai-node-sdk';
import type { IDataObject, ISupplyDataFunctions, SupplyData } from 'n8n-workflow';

import { toApiMessages, toGenerateResult } from './helpers/convert';
import { readingImageParts } from './helpers/image-blocks';
import { toolParametersSchema } from './helpers/tool-schema';
import type { ModelSettings } from './helpers/settings';
import { modelTransport, type SendCompletion } from './helpers/transport';

/** LangChain hands its call options through the SDK adapter: its abort signal is `signal`. */
type CallConfig = ChatModelConfig & { signal?: AbortSignal; stop?: string[] };

export class HumirisChatModel extends BaseChatModel<CallConfig> {
	constructor(
		modelId: string,
		private readonly send: SendCompletion,
	) {
		super('humiris', modelId);
	}

	private body(messages: Message[], config?: CallConfig): IDataObject {
		const body: IDataObject = { messages: toApiMessages(messages) };
		const tools = this.tools.filter((tool) => tool.type === 'function');
		if (tools.length) {
			body.tools = tools.map((tool) => ({
				type: 'function',
				function: {
					name: tool.name,
					description: tool.description ?? '',
					parameters: toolParametersSchema(tool.inputSchema),
				},
			}));
		}
		const stop = config?.stopSequences ?? config?.stop;
		if (stop?.length) body.stop = stop;
		return body;
	}

	async generate(messages: Message[], config?: CallConfig): Promise<GenerateResult> {
		const completion = await this.send(this.body(messages, config), config?.abortSignal ?? config?.signal);
		return toGenerateResult(completion);
	}

	/**
	 * Humiris documents no streaming, so a streaming Agent gets one ordinary request whose
	 * answer is yielded whole, then the finish with the token usage.
	 */
	async *stream(messages: Message[], config?: CallConfig): AsyncIterable<StreamChunk> {
		const result = await this.generate(messages, config);
		for (const part of result.message.content) {
			if (part.type === 'text' && part.text) yield { type: 'text-delta', delta: part.text };
		}
		// The SDK's adapter files every streamed tool call under index 0, where LangChain would
		// merge several into one broken call: the first is streamed, the Agent asks again for more.
		const firstCall = result.message.content.find((part) => part.type === 'tool-call');
		if (firstCall?.type === 'tool-call') {
			yield { type: 'tool-call-delta', id: firstCall.toolCallId, name: firstCall.toolName, argumentsDelta: firstCall.input };
		}
		yield { type: 'finish', finishReason: result.finishReason ?? 'stop', usage: result.usage };
	}
}

export function supplyHumirisModel(context: ISupplyDataFunctions, settings: ModelSettings): SupplyData {
	const supplied = supplyModel(context, new HumirisChatModel(settings.model, modelTransport(context, settings)));
	return { ...supplied, response: readingImageParts(supplied.response) };
}
