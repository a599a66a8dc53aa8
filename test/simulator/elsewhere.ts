/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test-only code that runs in plain Node, never shipped */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { RecordedRequest } from './types';

/**
 * The other origin a hostile Base URL redirects to: it records whatever reaches it, and
 * answers like a working Humiris, so a client that followed would take its answer for one.
 */
export interface Elsewhere {
	origin: string;
	readonly requests: RecordedRequest[];
	reset(): void;
	close(): Promise<void>;
}

export const ELSEWHERE_ANSWER = 'An answer from elsewhere';

async function readText(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function headersOf(req: IncomingMessage): Record<string, string> {
	return Object.fromEntries(
		Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]),
	);
}

export async function startElsewhere(host: string): Promise<Elsewhere> {
	let log: RecordedRequest[] = [];
	const server: Server = createServer((req, res) => {
		const record: RecordedRequest = {
			seq: log.length + 1,
			receivedAt: performance.timeOrigin + performance.now(),
			method: req.method ?? 'GET',
			path: (req.url ?? '/').split('?')[0],
			headers: headersOf(req),
			body: undefined,
		};
		log.push(record);
		void readText(req).then((body) => {
			record.body = body;
			record.status = 200;
			const payload = JSON.stringify({
				id: 'chatcmpl-elsewhere',
				object: 'chat.completion',
				choices: [{ index: 0, message: { role: 'assistant', content: ELSEWHERE_ANSWER }, finish_reason: 'stop' }],
			});
			res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
			res.end(payload);
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, host, () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	return {
		origin: `http://${host}:${port}`,
		get requests() {
			return [...log];
		},
		reset() {
			log = [];
		},
		close() {
			server.closeAllConnections();
			return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
		},
	};
}
