/**
 * The AI Agent's "Automatically Passthrough Binary Images" adds each image to the user turn as
 * an OpenAI part, `{type: 'image_url', image_url: {url: 'data:…'}}`. n8n's SDK adapter (0.31.1)
 * turns only LangChain's standard blocks (`{type: 'image', mimeType, data}`) into the SDK's file
 * parts and drops the rest, so the image never reached the model. Each such part is rewritten
 * as a standard block before the adapter sees the messages.
 */

interface LangChainMessage {
	content: unknown;
}

interface ChatModelAdapter {
	_generate?: (messages: LangChainMessage[], ...rest: unknown[]) => unknown;
	_streamResponseChunks?: (messages: LangChainMessage[], ...rest: unknown[]) => unknown;
	bindTools?: (...args: unknown[]) => unknown;
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function urlOf(block: Record<string, unknown>): string | undefined {
	const { image_url: imageUrl } = block;
	if (typeof imageUrl === 'string') return imageUrl;
	if (typeof imageUrl === 'object' && imageUrl !== null) {
		const { url } = imageUrl as Record<string, unknown>;
		return typeof url === 'string' ? url : undefined;
	}
	return undefined;
}

function standardBlock(block: unknown): unknown {
	if (typeof block !== 'object' || block === null || (block as Record<string, unknown>).type !== 'image_url') return block;
	const url = urlOf(block as Record<string, unknown>);
	if (url === undefined) return block;
	const data = DATA_URL.exec(url);
	// A web address travels as it is: the transport sends data that starts with https: unchanged.
	return data ? { type: 'image', mimeType: data[1], data: data[2] } : { type: 'image', mimeType: 'image/*', data: url };
}

/** The message itself when it has no image part; otherwise a copy (the Agent keeps its own in memory). */
function withStandardImages(message: LangChainMessage): LangChainMessage {
	const { content } = message;
	if (!Array.isArray(content) || !content.some((block) => standardBlock(block) !== block)) return message;
	const copy = Object.create(Object.getPrototypeOf(message) as object) as LangChainMessage;
	return Object.assign(copy, message, { content: content.map(standardBlock) });
}

/**
 * The adapter n8n's `supplyModel` built, its two entry points reading image parts too; so does
 * the new adapter `bindTools` builds for an Agent with tools.
 */
export function readingImageParts<T>(response: T): T {
	const adapter = response as ChatModelAdapter;
	for (const method of ['_generate', '_streamResponseChunks'] as const) {
		const original = adapter[method];
		if (typeof original !== 'function') continue;
		adapter[method] = (messages, ...rest) => original.call(adapter, messages.map(withStandardImages), ...rest);
	}
	const bindTools = adapter.bindTools;
	if (typeof bindTools === 'function') adapter.bindTools = (...args) => readingImageParts(bindTools.apply(adapter, args));
	return response;
}
