/**
 * The LangChain model n8n's AI nodes receive, made to answer the way n8n's own chat models
 * (ChatOpenAI and the like) do. Everything here reads and sets plain fields on what the SDK's
 * adapter produced: the package may run beside other copies of the SDK and LangChain, where
 * their classes are not ours to construct or to test with `instanceof`.
 */

interface LcMessage {
	content: unknown;
	lc_kwargs?: Record<string, unknown>;
	response_metadata?: Record<string, unknown>;
	tool_call_chunks?: Array<{ index?: number }>;
}

interface LcGeneration {
	message?: LcMessage;
	generationInfo?: Record<string, unknown>;
}

interface LcAdapter {
	_generate(...args: unknown[]): Promise<{ generations?: LcGeneration[] }>;
	_streamResponseChunks(...args: unknown[]): AsyncIterable<LcGeneration>;
	bindTools(...args: unknown[]): unknown;
}

function isAdapter(model: unknown): model is LcAdapter {
	const candidate = model as Partial<LcAdapter> | null;
	return (
		typeof candidate === 'object' &&
		candidate !== null &&
		typeof candidate._generate === 'function' &&
		typeof candidate._streamResponseChunks === 'function' &&
		typeof candidate.bindTools === 'function'
	);
}

/** The text of content made only of text parts; undefined when any other part is in it. */
function plainText(content: unknown): string | undefined {
	if (!Array.isArray(content)) return undefined;
	let text = '';
	for (const part of content as Array<{ type?: unknown; text?: unknown }>) {
		if (part?.type !== 'text' || typeof part.text !== 'string') return undefined;
		text += part.text;
	}
	return text;
}

/**
 * The adapter hands LangChain every answer as an array of parts. n8n's auto-fixing output
 * parser reads the repaired answer with `content.toString()`, which makes such an array
 * "[object Object]"; other chat models give a text answer as a string, so ours does too.
 */
function flattenText(message: LcMessage | undefined): void {
	if (!message) return;
	const text = plainText(message.content);
	if (text === undefined) return;
	message.content = text;
	// LangChain serialises a message (n8n's logs, memory) from the fields it was built with.
	if (message.lc_kwargs && 'content' in message.lc_kwargs) message.lc_kwargs.content = text;
}

/**
 * The adapter files every streamed tool call under index 0. LangChain merges chunks of one
 * index into one call unless both carry different ids (older LangChain merges on the index
 * alone): several calls of one answer could become one broken call. Each of our tool-call
 * chunks carries a whole call, so each gets an index of its own, whatever the merge rules.
 */
async function* separateToolCalls(chunks: AsyncIterable<LcGeneration>): AsyncGenerator<LcGeneration> {
	let next = 0;
	for await (const chunk of chunks) {
		const message = chunk.message;
		for (const call of message?.tool_call_chunks ?? []) call.index = next++;
		flattenText(message);
		yield chunk;
	}
}

/**
 * n8n's log keeps of each generation only its text and `generationInfo`, where other chat
 * models put the finish reason; the adapter leaves it in the message's metadata alone.
 */
function withFinishReason(generation: LcGeneration): void {
	const reason = generation.message?.response_metadata?.finish_reason;
	if (reason === undefined || generation.generationInfo?.finish_reason !== undefined) return;
	generation.generationInfo = { ...generation.generationInfo, finish_reason: reason };
}

/**
 * Shapes the model that `supplyModel` returned. The Agent calls `bindTools`, which builds a
 * new adapter: that one is shaped as well, so the answers keep their shape with tools bound.
 */
export function shapeForLangChain<T>(model: T): T {
	if (!isAdapter(model)) return model;
	const generate = model._generate.bind(model);
	const stream = model._streamResponseChunks.bind(model);
	const bindTools = model.bindTools.bind(model);
	model._generate = async (...args) => {
		const result = await generate(...args);
		for (const generation of result.generations ?? []) {
			flattenText(generation.message);
			withFinishReason(generation);
		}
		return result;
	};
	model._streamResponseChunks = (...args) => separateToolCalls(stream(...args));
	model.bindTools = (...args) => shapeForLangChain(bindTools(...args));
	return model;
}
