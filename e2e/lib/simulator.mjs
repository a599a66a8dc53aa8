// The MoAI simulator from test/simulator, run as its own process through its CLI so a real n8n
// talks to it over HTTP exactly as it would to the hosted API.
import { existsSync } from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from './paths.mjs';
import { startProcess, stopProcess } from './proc.mjs';

const READY = /^SIMULATOR_READY (\{.*\})$/m;

/**
 * @param readPrompts answer as a model reading its prompt (test/simulator/model-answer.ts)
 * @param elsewhereHost also start the recorder on this other loopback host (e.g. 127.0.0.2):
 *   the origin `[[sim:redirect to=elsewhere]]` points at; `elsewhereRequests()` reads what reached it.
 */
export async function startSimulator({ port = 0, latencyMs, acceptBearer = false, elsewhereHost, readPrompts = false, timeoutMs = 30000 } = {}) {
	const tsNode = path.join(REPO_ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js');
	if (!existsSync(tsNode)) throw new Error('ts-node is missing: run `npm ci` at the repository root first');
	const args = [tsNode, '--transpile-only', 'test/simulator/cli.ts', '--port', String(port)];
	if (latencyMs !== undefined) args.push('--latency', String(latencyMs));
	if (acceptBearer) args.push('--accept-bearer');
	if (elsewhereHost) args.push('--elsewhere-host', elsewhereHost);
	if (readPrompts) args.push('--read-prompts');
	const child = startProcess(process.execPath, args, { cwd: REPO_ROOT, env: process.env });

	const deadline = Date.now() + timeoutMs;
	let match;
	while (!(match = READY.exec(child.output))) {
		if (child.exitCode !== null) throw new Error(`simulator exited early:\n${child.output}`);
		if (Date.now() > deadline) {
			await stopProcess(child);
			throw new Error(`simulator not ready after ${timeoutMs} ms:\n${child.output}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	const info = JSON.parse(match[1]);
	const origin = new URL(info.url).origin;

	const control = async (method, route) => {
		const response = await fetch(`${origin}/__sim/${route}`, { method });
		if (!response.ok) throw new Error(`simulator ${method} /__sim/${route}: HTTP ${response.status}`);
		return response.json();
	};
	return {
		url: info.url,
		origin,
		apiKey: info.apiKey,
		mixTuningId: info.mixTuningIds[0],
		/** The request log: `{seq, method, path, headers, body, status, fault}` per request. */
		requests: async () => {
			const body = await control('GET', 'requests');
			return Array.isArray(body) ? body : body.requests;
		},
		/** The recorder's origin, when started with `elsewhereHost`. */
		elsewhere: info.elsewhere,
		/** What reached the recorder since the last reset, headers included. */
		elsewhereRequests: () => control('GET', 'elsewhere/requests'),
		reset: () => control('POST', 'reset'),
		/** `{inFlight, peakInFlight, requests, completions}` since the last reset. */
		stats: () => control('GET', 'stats'),
		/** POST /__sim/config, e.g. `{latencyMs: 0}`. */
		configure: async (update) => {
			const response = await fetch(`${origin}/__sim/config`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(update),
			});
			if (!response.ok) throw new Error(`simulator POST /__sim/config: HTTP ${response.status} ${await response.text()}`);
		},
		/** The simulator's own per-request log lines (the key is masked). */
		log: () => child.output,
		stop: () => stopProcess(child),
	};
}
