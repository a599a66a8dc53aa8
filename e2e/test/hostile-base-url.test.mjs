// A Base URL that misbehaves as a broken gateway, a misconfigured proxy or an attacker would,
// in real n8n 2.41.1 on the node's defaults but Max Retries 0 and Timeout 8 s: a redirect to
// another origin (127.0.0.1 → 127.0.0.2, where a recorder notes whatever arrives) must not
// carry the key there, from Humiris Chat or from the Chat Model; a body sent one byte every
// 2 s must end the run at the Timeout.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';

import { SIM_CREDENTIAL, completionRequests, humirisCredential, outputItems, prepareN8n } from '../lib/harness.mjs';
import { stopChildrenOnExit } from '../lib/proc.mjs';
import { startSimulator } from '../lib/simulator.mjs';

const TIMEOUT_MS = 8000;
/** n8n's own work around the node (the item, the task runner) on a loaded 2-core machine. */
const MARGIN_MS = 3000;
const TRIGGER = 'When clicking ‘Execute workflow’';
const CHAT = 'Humiris Chat';
const OPTIONS = { maxRetries: 0, timeout: TIMEOUT_MS };

let sim;
let n8n;

function chatWorkflow(id, prompt) {
	return {
		id,
		name: `Hostile Base URL: ${prompt}`,
		nodes: [
			{ parameters: {}, id: 'trigger', name: TRIGGER, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
			{
				parameters: { messageMode: 'prompt', promptType: 'define', prompt, options: OPTIONS },
				id: 'chat',
				name: CHAT,
				type: 'n8n-nodes-humiris.humirisChat',
				typeVersion: 1,
				position: [220, 0],
				onError: 'continueRegularOutput',
				credentials: { humirisApi: SIM_CREDENTIAL },
			},
		],
		connections: { [TRIGGER]: { main: [[{ node: CHAT, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

function modelWorkflow(id, question) {
	return {
		id,
		name: `Hostile Base URL (model): ${question}`,
		nodes: [
			{ parameters: {}, id: 'trigger', name: TRIGGER, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
			{
				parameters: { promptType: 'define', text: question },
				id: 'chain',
				name: 'Basic LLM Chain',
				type: '@n8n/n8n-nodes-langchain.chainLlm',
				typeVersion: 1.7,
				position: [220, 0],
			},
			{
				parameters: { model: 'Humiris/humiris-moai', options: OPTIONS },
				id: 'model',
				name: 'Humiris Chat Model',
				type: 'n8n-nodes-humiris.lmChatHumiris',
				typeVersion: 1,
				position: [220, 220],
				credentials: { humirisApi: SIM_CREDENTIAL },
			},
		],
		connections: {
			[TRIGGER]: { main: [[{ node: 'Basic LLM Chain', type: 'main', index: 0 }]] },
			'Humiris Chat Model': { ai_languageModel: [[{ node: 'Basic LLM Chain', type: 'ai_languageModel', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

before(async () => {
	stopChildrenOnExit();
	sim = await startSimulator({ elsewhereHost: '127.0.0.2' });
	assert.match(sim.elsewhere, /^http:\/\/127\.0\.0\.2:\d+$/);
	n8n = await prepareN8n({ version: '2.41.1' });
	n8n.watchSecrets(sim.apiKey);
	await n8n.importCredentials([
		humirisCredential({ ...SIM_CREDENTIAL, apiKey: sim.apiKey, mixTuningId: sim.mixTuningId, baseUrl: sim.url }),
	]);
	await n8n.importWorkflow([
		chatWorkflow('humirisE2eHostR1', 'Hello [[sim:redirect status=307 to=elsewhere]]'),
		chatWorkflow('humirisE2eHostT1', 'Hello [[sim:trickle ms=2000]]'),
		modelWorkflow('humirisE2eHostR2', 'Hello [[sim:redirect status=308 to=elsewhere]]'),
	]);
});

after(async () => {
	await n8n?.dispose();
	await sim?.stop();
});

beforeEach(() => sim.reset());

test('Humiris Chat: a 307 to another origin is not followed, and no key reaches it', { timeout: 5 * 60 * 1000 }, async (t) => {
	const result = await n8n.execute('humirisE2eHostR1');
	assert.equal(result.code, 0, `the run ends (the error as an item)\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`);

	const [item] = outputItems(result.run, CHAT);
	assert.equal(item.error.code, 'REDIRECT_CROSS_ORIGIN');
	assert.equal(
		item.error.message,
		`The Base URL redirected the request (HTTP 307) to another address, ${sim.elsewhere}. The API key was not sent there. If you trust that address, put it in the Base URL of the Humiris API credential.`,
	);
	assert.deepEqual(await sim.elsewhereRequests(), [], 'nothing reached the other origin');
	assert.equal(completionRequests(await sim.requests()).length, 1);
	t.diagnostic(`node time ${result.run.data.resultData.runData[CHAT][0].executionTime} ms`);
});

test('Humiris Chat Model: a 308 to another origin is not followed, and no key reaches it', { timeout: 5 * 60 * 1000 }, async () => {
	const result = await n8n.execute('humirisE2eHostR2');
	assert.equal(result.code, 1, `the chain fails with the model's error\n${result.stdout.slice(-2000)}`);
	assert.ok(result.run, 'the failed run data is printed');
	assert.match(result.run.data.resultData.error.message, /^The Base URL redirected the request \(HTTP 308\) to another address, http:\/\/127\.0\.0\.2:\d+\. The API key was not sent there\./);
	assert.deepEqual(await sim.elsewhereRequests(), [], 'nothing reached the other origin');
});

test('Humiris Chat: a body sent one byte every 2 s ends at the 8 s Timeout', { timeout: 5 * 60 * 1000 }, async (t) => {
	const result = await n8n.execute('humirisE2eHostT1');
	assert.equal(result.code, 0, `the run ends (the error as an item)\n${result.stdout.slice(-2000)}`);

	const [item] = outputItems(result.run, CHAT);
	assert.equal(item.error.code, 'TIMEOUT');
	assert.match(item.error.message, /^Humiris started answering but did not finish within 8 s/);
	const nodeMs = result.run.data.resultData.runData[CHAT][0].executionTime;
	assert.ok(nodeMs >= TIMEOUT_MS - 50 && nodeMs < TIMEOUT_MS + MARGIN_MS, `the node ran ${nodeMs} ms, about the Timeout`);
	const [request] = completionRequests(await sim.requests());
	assert.equal(request.fault, 'trickle ms=2000');
	t.diagnostic(`node time ${nodeMs} ms; n8n execute ${result.seconds.toFixed(1)} s in all`);
});
