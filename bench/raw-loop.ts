import type { IDataObject } from 'n8n-workflow';

/**
 * The floor the node is compared with: the same requests (bodies and headers) sent with
 * plain `fetch` through a pool of the same size, each answer read and parsed as JSON and
 * its content kept, with none of n8n or the node in between.
 */
export async function rawLoop(
	url: string,
	headers: Record<string, string>,
	bodies: IDataObject[],
	concurrency: number,
): Promise<{ ms: number; answers: string[] }> {
	const answers = new Array<string>(bodies.length);
	let next = 0;
	const lane = async () => {
		while (next < bodies.length) {
			const index = next++;
			const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(bodies[index]) });
			const json = (await response.json()) as { choices?: Array<{ message?: { content?: string } }> };
			const content = json.choices?.[0]?.message?.content;
			if (!response.ok || typeof content !== 'string') {
				throw new Error(`raw loop: request ${index} answered ${response.status}`);
			}
			answers[index] = content;
		}
	};
	const started = performance.now();
	await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, lane));
	return { ms: performance.now() - started, answers };
}

/** Headers fetch sets itself from the connection and body; the rest are sent as the node sent them. */
const TRANSPORT_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

export function replayableHeaders(recorded: Record<string, string>): Record<string, string> {
	return Object.fromEntries(Object.entries(recorded).filter(([name]) => !TRANSPORT_HEADERS.has(name)));
}
