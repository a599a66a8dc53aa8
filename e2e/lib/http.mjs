// Local HTTP plumbing for the tests and the benchmarks: a free port, and a webhook
// call that waits out n8n's start-up. No dependency beyond Node's own, so the benchmarks run
// after a plain `npm ci` of the repository.
import { createServer } from 'node:net';

export function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/**
 * n8n answers /healthz/readiness before it has registered the active workflows' webhooks (1.x
 * even before it mounts /webhook/); until then a call gets a 404 and runs nothing, so it is
 * safe to retry.
 */
export async function callWebhook(url, payload, timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(payload),
			signal: AbortSignal.timeout(timeoutMs),
		});
		const text = await response.text();
		if (!(response.status === 404 && /is not registered|Cannot POST/.test(text)) || Date.now() > deadline) {
			return { response, text };
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}
