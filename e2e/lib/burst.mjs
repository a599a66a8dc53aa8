// Webhook bursts, as a form or webhook workflow meets them: many executions at once, one item
// each, Webhook → the node under test → Respond to Webhook. Shared by the e2e burst test and
// `npm run bench:n8n`.
import { randomUUID } from 'node:crypto';

import { NODE_TYPE } from './harness.mjs';

/** Webhook → `node` (named "Answer") → Respond, answering `{answer}` or n8n's 500 when the node fails. */
export function burstWorkflow({ id, name, path, node }) {
	return {
		id,
		name,
		nodes: [
			{
				id: 'webhook',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path, responseMode: 'responseNode', options: {} },
			},
			{ ...node, id: 'answer', name: 'Answer', position: [220, 0] },
			{
				id: 'respond',
				name: 'Respond to Webhook',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.1,
				position: [440, 0],
				parameters: { respondWith: 'json', responseBody: '={{ { answer: $json.content ?? $json.message?.content } }}', options: {} },
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Answer', type: 'main', index: 0 }]] },
			Answer: { main: [[{ node: 'Respond to Webhook', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
		pinData: {},
	};
}

/** Humiris Chat on its defaults, asking the call's question. */
export function humirisBurstNode(credential, options = {}) {
	return {
		type: NODE_TYPE,
		typeVersion: 1,
		parameters: { messageMode: 'prompt', promptType: 'define', prompt: '={{ $json.body.question }}', options },
		credentials: { humirisApi: { id: credential.id, name: credential.name } },
	};
}

export const burstQuestion = (index) => `Burst call ${index}: what does the MoAI mix do?`;

/**
 * Fires `count` calls at once and waits for every answer. Resolves the calls in order, each
 * `{status, answer, ms}`, and the burst's wall time from the first call sent to the last answer.
 */
export async function fireBurst(url, count, { timeoutMs = 300000 } = {}) {
	const started = performance.now();
	const calls = await Promise.all(
		Array.from({ length: count }, async (_, index) => {
			const sent = performance.now();
			try {
				const response = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ question: burstQuestion(index) }),
					signal: AbortSignal.timeout(timeoutMs),
				});
				const text = await response.text();
				let answer;
				try {
					answer = JSON.parse(text).answer;
				} catch {
					answer = undefined;
				}
				return { status: response.status, answer, text, ms: performance.now() - sent };
			} catch (error) {
				return { status: 0, answer: undefined, text: String(error), ms: performance.now() - sent };
			}
		}),
	);
	return { calls, wallMs: performance.now() - started };
}

/** A webhook that is not registered yet answers 404; wait until it runs (a warm-up call). */
export async function untilRegistered(url, timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"question":"warm-up"}' });
		const text = await response.text();
		if (response.status !== 404) return { status: response.status, text };
		if (Date.now() > deadline) throw new Error(`webhook ${url} still not registered: ${text}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}
