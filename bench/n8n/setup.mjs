// What both real-n8n benchmarks share: n8n 2.41.1 from the e2e cache with our packed package
// installed as a community package, the simulator in its own process, credentials for both
// nodes, and the workflows they run.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { NODE_TYPE, humirisCredential, prepareN8n } from '../../e2e/lib/harness.mjs';
import { parseRawOutput } from '../../e2e/lib/n8n.mjs';
import { startSimulator } from '../../e2e/lib/simulator.mjs';

export const N8N_VERSION = '2.41.1';
export const OPENAI_NODE_TYPE = '@n8n/n8n-nodes-langchain.openAi';
export const OPENAI_NODE_VERSION = 1.8;
export const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'results');

const HUMIRIS_CREDENTIAL = { id: 'humirisBenchCred', name: 'Humiris (bench simulator)' };
const OPENAI_CREDENTIAL = { id: 'openAiBenchCred1', name: 'OpenAI (bench simulator)' };
const SOURCE = 'Items';

export const progress = (message) => process.stderr.write(`[bench:n8n] ${message}\n`);

/**
 * The simulator takes the OpenAI node's `Authorization: Bearer` as the key; the MixTuning ID
 * reaches it through the OpenAI credential's own custom-header field.
 */
export async function prepareBench({ latencyMs }) {
	const simulator = await startSimulator({ latencyMs, acceptBearer: true });
	const n8n = await prepareN8n({ version: N8N_VERSION });
	n8n.watchSecrets(simulator.apiKey);
	await n8n.importCredentials([
		humirisCredential({ ...HUMIRIS_CREDENTIAL, apiKey: simulator.apiKey, mixTuningId: simulator.mixTuningId, baseUrl: simulator.url }),
		{
			...OPENAI_CREDENTIAL,
			type: 'openAiApi',
			data: {
				apiKey: simulator.apiKey,
				url: simulator.url,
				header: true,
				headerName: 'mixTuningId',
				headerValue: simulator.mixTuningId,
			},
		},
	]);
	return { simulator, n8n };
}

/** A Code node emitting `items` prompts, each naming its ticket so answers can be traced back. */
function sourceNodes(items) {
	return [
		{ id: 'trigger', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'items',
			name: SOURCE,
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [220, 0],
			parameters: {
				jsCode: `return Array.from({ length: ${items} }, (_, i) => ({ json: { prompt: 'Summarise ticket #' + i + ' for the support team.' } }));`,
			},
		},
	];
}

export function humirisNode(name, concurrency, y, parameters = {}) {
	return {
		id: `humiris-${name.replace(/\W+/g, '-').toLowerCase()}`,
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [440, y],
		parameters: { ...parameters, options: { concurrency } },
		credentials: { humirisApi: HUMIRIS_CREDENTIAL },
	};
}

/** n8n's OpenAI node as a user sets up "Message a model", the model typed in by ID. */
export function openAiNode(name, y) {
	return {
		id: 'openai-message',
		name,
		type: OPENAI_NODE_TYPE,
		typeVersion: OPENAI_NODE_VERSION,
		position: [440, y],
		parameters: {
			resource: 'text',
			operation: 'message',
			modelId: { __rl: true, mode: 'id', value: 'Humiris/humiris-moai' },
			messages: { values: [{ content: '={{ $json.prompt }}' }] },
			options: {},
		},
		credentials: { openAiApi: OPENAI_CREDENTIAL },
	};
}

/** Every node under test hangs off the source, so each gets the same items in one execution. */
export function benchWorkflow(id, name, items, nodes) {
	const all = [...sourceNodes(items), ...nodes];
	return {
		id,
		name,
		nodes: all,
		connections: {
			Start: { main: [[{ node: SOURCE, type: 'main', index: 0 }]] },
			[SOURCE]: { main: [nodes.map((node) => ({ node: node.name, type: 'main', index: 0 }))] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
		pinData: {},
	};
}

/** The node's run from `execute --rawOutput`: n8n's own startTime and executionTime, its output items. */
export function nodeRun(run, name) {
	const task = run?.data?.resultData?.runData?.[name]?.[0];
	if (!task) throw new Error(`node "${name}" did not run`);
	return { startTime: task.startTime, executionMs: task.executionTime, items: (task.data?.main?.[0] ?? []).map((item) => item.json) };
}

export function failWith(what, result) {
	const error = result.run?.data?.resultData?.error;
	throw new Error(
		`${what} (exit ${result.code})${error ? `: ${error.message}` : ''}\n--- stdout (tail) ---\n${result.stdout.slice(-3000)}\n--- stderr (tail) ---\n${result.stderr.slice(-3000)}`,
	);
}

export function saveJson(file, value) {
	mkdirSync(RESULTS_DIR, { recursive: true });
	const target = path.join(RESULTS_DIR, file);
	writeFileSync(target, `${JSON.stringify(value, null, '\t')}\n`);
	return target;
}

/**
 * `n8n execute --id --rawOutput` with stdout going to a file: n8n exits right after printing the
 * run data, and through a pipe a large run (thousands of items) arrives cut off; file writes are
 * synchronous. `nodeArgs` go to Node itself (e.g. --cpu-prof). Resolves `{code, stdout, stderr, run}`.
 */
export async function executeToFile(n8n, workflowId, { nodeArgs = [], timeoutMs = 600000 } = {}) {
	const outFile = path.join(n8n.userFolder, `execute-${workflowId}.out`);
	const fd = openSync(outFile, 'w');
	let stderr = '';
	const code = await new Promise((resolve) => {
		const child = spawn(n8n.install.nodeBin, [...nodeArgs, n8n.install.n8nBin, 'execute', `--id=${workflowId}`, '--rawOutput'], {
			cwd: n8n.userFolder,
			env: n8n.env(),
			detached: true,
			stdio: ['ignore', fd, 'pipe'],
		});
		const killGroup = () => {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				// already gone
			}
		};
		const timer = setTimeout(killGroup, timeoutMs);
		child.stderr.on('data', (chunk) => (stderr = (stderr + chunk.toString()).slice(-20000)));
		child.on('close', (exitCode) => {
			clearTimeout(timer);
			// The task runner n8n forked must not outlive it.
			killGroup();
			resolve(exitCode ?? -1);
		});
	});
	closeSync(fd);
	const stdout = readFileSync(outFile, 'utf8');
	rmSync(outFile, { force: true });
	n8n.assertNoSecret(stdout + stderr, `the output of n8n execute --id=${workflowId}`);
	return { code, stdout, stderr, run: parseRawOutput(stdout) };
}
