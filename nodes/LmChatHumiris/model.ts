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
import { shapeForLangChain } from './helpers/langchain-shape';
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
	 * Humiris documents no streaming, so a streaming Agent gets one ordinary request served
	 * whole: its text as one piece, every tool call of the answer (the Agent runs them all in
	 * this turn), then the finish with the token usage. The adapter files each tool call under
	 * the same index; `shapeForLangChain` gives each its own, so none can merge into another.
	 */
	async *stream(messages: Message[], config?: CallConfig): AsyncIterable<StreamChunk> {
		const result = await this.generate(messages, config);
		for (const part of result.message.content) {
			if (part.type === 'text' && part.text) yield { type: 'text-delta', delta: part.text };
		}
		for (const part of result.message.content) {
			if (part.type !== 'tool-call') continue;
			yield { type: 'tool-call-delta', id: part.toolCallId, name: part.toolName, argumentsDelta: part.input };
		}
		yield { type: 'finish', finishReason: result.finishReason ?? 'stop', usage: result.usage };
	}
}

export function supplyHumirisModel(context: ISupplyDataFunctions, settings: ModelSettings): SupplyData {
	const supplied = supplyModel(context, new HumirisChatModel(settings.model, modelTransport(context, settings)));
	// Images are read from what the Agent hands in, answers shaped on the way out; each wrapper
	// carries itself over bindTools, so both hold on the bound model too.
	return { ...supplied, response: shapeForLangChain(readingImageParts(supplied.response)) };
}
