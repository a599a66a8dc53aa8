// 40 webhook executions at once against a plan allowing 8 requests in flight, 2 s per answer,
// 429 with Retry-After: 1 over the limit: Humiris Chat on its defaults (credential limits
// unset) answers every call, its governor learning the limit and sharing the waits.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { burstQuestion, burstWorkflow, fireBurst, humirisBurstNode, untilRegistered } from '../lib/burst.mjs';
import { SIM_CREDENTIAL, completionRequests, humirisCredential, prepareN8n } from '../lib/harness.mjs';
import { stopChildrenOnExit } from '../lib/proc.mjs';
import { startSimulator } from '../lib/simulator.mjs';
import { freePort } from '../lib/http.mjs';

const CALLS = 40;
const LIMIT = 8;
const ANSWER_MS = 2000;
const WORKFLOW = { id: 'humirisE2eBurst1', path: 'humiris-burst' };

stopChildrenOnExit();
let sim;
let n8n;
let baseUrl;

before(async () => {
	sim = await startSimulator();
	n8n = await prepareN8n({ version: '2.41.1' });
	n8n.watchSecrets(sim.apiKey);
	await n8n.importCredentials([humirisCredential({ ...SIM_CREDENTIAL, apiKey: sim.apiKey, mixTuningId: sim.mixTuningId, baseUrl: sim.url })]);
	await n8n.importWorkflow(burstWorkflow({ ...WORKFLOW, name: 'Humiris burst (e2e)', node: humirisBurstNode(SIM_CREDENTIAL) }));
	const activated = await n8n.activate(WORKFLOW.id);
	assert.equal(activated.code, 0, `activating the workflow works\n${activated.stdout}\n${activated.stderr}`);
	baseUrl = await n8n.start({ port: await freePort() });
});

after(async () => {
	await n8n?.dispose();
	await sim?.stop();
});

test(`n8n 2.41.1: ${CALLS} webhook calls at once through a limit of ${LIMIT} in flight, every one answered`, { timeout: 10 * 60 * 1000 }, async (t) => {
	const url = `${baseUrl}/webhook/${WORKFLOW.path}`;
	const warmUp = await untilRegistered(url);
	assert.equal(warmUp.status, 200, `the warm-up call is answered: ${warmUp.text}`);
	await sim.reset();
	await sim.configure({ latencyMs: ANSWER_MS, limits: { maxInFlight: LIMIT, retryAfterS: 1 } });

	const { calls, wallMs } = await fireBurst(url, CALLS);

	const failed = calls.map((call, index) => ({ ...call, index })).filter((call) => call.status !== 200);
	assert.deepEqual(
		failed.map(({ index, status, text }) => ({ index, status, text: text.slice(0, 200) })),
		[],
		`every call answered 200\n${n8n.serverLog().slice(-3000)}`,
	);
	calls.forEach((call, index) => assert.equal(call.answer, `MoAI answer to: ${burstQuestion(index)}`, `call ${index} got its own answer`));
	for (const call of calls) n8n.assertNoSecret(call.text, 'a webhook answer');

	const requests = completionRequests(await sim.requests());
	const refused = requests.filter((request) => request.status === 429).length;
	assert.equal(requests.filter((request) => request.status === 200).length, CALLS, 'one answered request per call');
	t.diagnostic(`${CALLS}/${CALLS} answered in ${(wallMs / 1000).toFixed(1)} s (ideal ${((CALLS / LIMIT) * ANSWER_MS) / 1000} s); ${requests.length} requests, ${refused} answered 429`);
});
