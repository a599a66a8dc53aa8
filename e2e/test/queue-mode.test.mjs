// n8n 2.41.1 in queue mode: Redis, Postgres, a main and 2 workers (`n8n worker --concurrency=5`),
// the packed package in every process's nodes folder. A burst of webhook calls on example 02
// (Webhook → Humiris Chat → Respond to Webhook) with Max Concurrent Requests set on the
// credential, then an AI Agent on the Humiris Chat Model behind a webhook.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { agentBehindWebhook } from '../lib/agent-workflows.mjs';
import { SIM_CREDENTIAL, humirisCredential, loadExample, node, tarball, withCredentials } from '../lib/harness.mjs';
import { ensureN8n } from '../lib/install.mjs';
import { stopChildrenOnExit } from '../lib/proc.mjs';
import { startQueueCluster } from '../lib/queue-mode.mjs';
import { startSimulator } from '../lib/simulator.mjs';
import { callWebhook } from '../lib/http.mjs';
import { printTimings } from '../lib/timings.mjs';

const VERSION = '2.41.1';
const WORKERS = 2;
const CONCURRENCY = 5;
/** The credential's Max Concurrent Requests: a limit per n8n process. */
const MAX_CONCURRENT = 2;
const CALLS = 20;
/** Long enough answers that 20 calls overlap well past the limit (n8n admits ~8-20 webhook runs/s here). */
const LATENCY_MS = 1500;
const AGENT_WORKFLOW = { id: 'humirisQueueAgent', path: 'humiris-agent', webhookId: '6d0f8a3e-2c4b-4f7a-9e15-3a9c7b1d5e20' };

stopChildrenOnExit();

const timings = [];
const record = (name, seconds) => timings.push({ version: VERSION, name, seconds });

/** Execution ids of one workflow, oldest first, with their status. */
async function executionsOf(postgres, workflowId) {
	const rows = await postgres.query(`SELECT id, status FROM execution_entity WHERE "workflowId" = '${workflowId}' ORDER BY id`);
	return rows.map(([id, status]) => ({ id, status }));
}

/** Which worker's log says it started each execution; an execution no worker started maps to []. */
function workersOf(executionIds, perWorker) {
	return Object.fromEntries(executionIds.map((id) => [id, Object.keys(perWorker).filter((worker) => perWorker[worker].includes(id))]));
}

describe(`n8n ${VERSION} in queue mode: main + ${WORKERS} workers, Redis, Postgres`, { timeout: 20 * 60 * 1000 }, () => {
	let sim;
	let cluster;
	let burst;

	before(async () => {
		sim = await startSimulator({ latencyMs: LATENCY_MS });
		const install = await ensureN8n(VERSION);
		const started = Date.now();
		cluster = await startQueueCluster({
			install,
			tarball: await tarball(),
			workers: WORKERS,
			concurrency: CONCURRENCY,
			setup: async (main) => {
				const credential = humirisCredential({ ...SIM_CREDENTIAL, apiKey: sim.apiKey, mixTuningId: sim.mixTuningId, baseUrl: sim.url });
				credential.data.maxConcurrent = MAX_CONCURRENT;
				await main.importCredentials([credential]);
				const good = { id: SIM_CREDENTIAL.id, name: SIM_CREDENTIAL.name };
				const { id, path, webhookId } = AGENT_WORKFLOW;
				await main.importWorkflow([
					withCredentials(loadExample('02-webhook-chat.json'), { humirisApi: good }),
					withCredentials(agentBehindWebhook(id, path, webhookId), { humirisApi: good }),
				]);
				for (const workflowId of ['humirisExample02', id]) {
					const published = await main.activate(workflowId);
					assert.equal(published.code, 0, `publish:workflow ${workflowId}\n${published.stdout}\n${published.stderr}`);
				}
			},
		});
		for (const n8n of cluster.instances) n8n.watchSecrets(sim.apiKey);
		for (const [stage, seconds] of Object.entries(cluster.timings)) record(`cluster ${stage}`, seconds);
		record('cluster up (services, 3 installs, imports, boot)', (Date.now() - started) / 1000);
	});

	after(async () => {
		await cluster?.stop();
		await sim?.stop();
		printTimings(timings);
	});

	test("every process has the package in its nodes folder, on n8n's own SDK (npm install --legacy-peer-deps)", () => {
		for (const n8n of cluster.instances) {
			const modules = path.join(n8n.userFolder, '.n8n', 'nodes', 'node_modules');
			assert.ok(existsSync(path.join(modules, 'n8n-nodes-humiris', 'package.json')), `${n8n.hostname} has the package`);
			for (const peer of ['n8n-workflow', '@n8n/ai-node-sdk']) assert.ok(!existsSync(path.join(modules, peer)), `${n8n.hostname} has no copy of ${peer}`);
		}
	});

	const webhookUrl = () => `${cluster.baseUrl}/webhook/${node(loadExample('02-webhook-chat.json'), 'Webhook').parameters.path}`;

	test(`a burst of ${CALLS} webhook calls: every call answered, every execution run by a worker`, async (t) => {
		// The main answers readiness before it registers the webhooks: the first call waits for them.
		const warmUp = await callWebhook(webhookUrl(), { question: 'Are the webhooks registered yet?' });
		assert.equal(warmUp.response.status, 200, `${warmUp.text}\n${cluster.mainLog().slice(-3000)}`);
		await sim.reset();

		const started = Date.now();
		const questions = Array.from({ length: CALLS }, (_, index) => `Burst question ${index + 1}: what does the MoAI mix do?`);
		const answers = await Promise.all(questions.map((question) => callWebhook(webhookUrl(), { question }, 120000)));
		const seconds = (Date.now() - started) / 1000;
		const stats = await sim.stats();
		burst = { seconds, peakInFlight: stats.peakInFlight };
		record(`burst of ${CALLS} calls`, seconds);

		answers.forEach(({ response, text }, index) => {
			assert.equal(response.status, 200, `call ${index + 1}: ${text}`);
			assert.equal(JSON.parse(text).answer, `MoAI answer to: ${questions[index]}`, `call ${index + 1} got its own answer`);
		});

		const executions = await executionsOf(cluster.postgres, 'humirisExample02');
		assert.equal(executions.length, CALLS + 1, 'one execution per call, the warm-up included');
		assert.ok(executions.every(({ status }) => status === 'success'), JSON.stringify(executions));
		const perWorker = cluster.executionsPerWorker();
		const ranOn = workersOf(executions.map(({ id }) => id), perWorker);
		for (const [id, workers] of Object.entries(ranOn)) assert.equal(workers.length, 1, `execution ${id} was started by exactly one worker: ${workers}`);
		const counts = Object.fromEntries(Object.entries(perWorker).map(([worker, ids]) => [worker, ids.filter((id) => id in ranOn).length]));
		burst.perWorker = counts;
		t.diagnostic(`${CALLS} calls answered in ${seconds.toFixed(1)} s; executions per worker ${JSON.stringify(counts)}; simulator's peak in flight ${stats.peakInFlight}`);
		assert.ok(Object.values(counts).every((count) => count > 0), `both workers ran executions: ${JSON.stringify(counts)}`);
	});

	test(`with Max Concurrent Requests ${MAX_CONCURRENT} on the credential, Humiris never sees more than ${MAX_CONCURRENT} × ${WORKERS} workers in flight`, () => {
		assert.ok(burst, 'the burst ran');
		assert.ok(burst.peakInFlight >= 1);
		assert.ok(
			burst.peakInFlight <= MAX_CONCURRENT * WORKERS,
			`peak in flight ${burst.peakInFlight} > ${MAX_CONCURRENT} per process × ${WORKERS} worker processes`,
		);
	});

	test('an AI Agent on the Humiris Chat Model behind a webhook answers, run on a worker', async (t) => {
		await sim.configure({ latencyMs: 0 });
		const question = 'Which plan includes priority support?';
		const started = Date.now();
		const { response, text } = await callWebhook(`${cluster.baseUrl}/webhook/${AGENT_WORKFLOW.path}`, { question });
		record('Agent behind a webhook', (Date.now() - started) / 1000);
		assert.equal(response.status, 200, `${text}\n${cluster.mainLog().slice(-3000)}`);
		assert.equal(JSON.parse(text).output, `MoAI answer to: ${question}`);

		const executions = await executionsOf(cluster.postgres, AGENT_WORKFLOW.id);
		assert.equal(executions.length, 1);
		assert.equal(executions[0].status, 'success');
		const [workers] = Object.values(workersOf([executions[0].id], cluster.executionsPerWorker()));
		assert.equal(workers.length, 1, `the Agent's execution was started by one worker: ${workers}`);
		t.diagnostic(`execution ${executions[0].id} ran on ${workers[0]}`);
	});
});
