import { MAX_ANSWER_BYTES } from '../user-messages';

/** What n8n hands back for `encoding: 'stream'`: a Node readable, seen only through what we use. */
interface BodyStream extends AsyncIterable<Uint8Array> {
	destroy(error?: Error): void;
}

export type AnswerRead =
	| { ok: true; body: unknown }
	/**
	 * `cut`: the stream failed before its end; the caller knows whether its own deadline or
	 * cancel signal did that, or the server. `text` is what had arrived.
	 */
	| { ok: false; reason: 'too-large' | 'cut'; text: string; bytes: number };

function isStream(body: unknown): body is BodyStream {
	return (
		typeof body === 'object' &&
		body !== null &&
		typeof (body as Partial<BodyStream>)[Symbol.asyncIterator] === 'function' &&
		typeof (body as Partial<BodyStream>).destroy === 'function'
	);
}

/** Frees the connection of an answer that will not be read. */
export function discardBody(body: unknown): void {
	if (isStream(body)) body.destroy();
}

function declaredLength(headers: Record<string, unknown> | undefined): number {
	const value = Number(headers?.['content-length']);
	return Number.isFinite(value) ? value : 0;
}

/**
 * Reads a streamed body into text, never holding more than MAX_ANSWER_BYTES: a declared
 * length past it fails before the first byte, a body growing past it fails as it does.
 * The signal ends the read at once. A body that is not a stream (an evaluation's mocked
 * answer) is passed on as it is.
 */
export async function readAnswer(
	body: unknown,
	headers: Record<string, unknown> | undefined,
	signal: AbortSignal,
	limit = MAX_ANSWER_BYTES,
): Promise<AnswerRead> {
	if (!isStream(body)) return { ok: true, body };
	if (declaredLength(headers) > limit) {
		body.destroy();
		return { ok: false, reason: 'too-large', text: '', bytes: 0 };
	}
	const stop = () => body.destroy();
	if (signal.aborted) stop();
	signal.addEventListener('abort', stop, { once: true });
	const decoder = new TextDecoder();
	let text = '';
	let bytes = 0;
	try {
		for await (const chunk of body) {
			bytes += chunk.byteLength;
			if (bytes > limit) {
				body.destroy();
				return { ok: false, reason: 'too-large', text: '', bytes };
			}
			text += decoder.decode(chunk, { stream: true });
		}
		return { ok: true, body: text + decoder.decode() };
	} catch {
		return { ok: false, reason: 'cut', text, bytes };
	} finally {
		signal.removeEventListener('abort', stop);
	}
}
