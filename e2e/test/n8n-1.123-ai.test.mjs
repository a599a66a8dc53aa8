// n8n 1.x has no @n8n/ai-node-sdk. The same tarball must still load there: Humiris Chat works,
// and the Humiris Chat Model says what it needs instead of breaking the package.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { SIM_CREDENTIAL, assertRan, completionRequests, humirisCredential, loadExample, outputItems, prepareN8n, withCredentials } from '../lib/harness.mjs';
import { stopChildrenOnExit } from '../lib/proc.mjs';
import { startSimulator } from '../lib/simulator.mjs';
import { printTimings } from '../lib/timings.mjs';

const VERSION = '1.123.81';
const timings = [];

describe(`n8n ${VERSION}: the package with the Humiris Chat Model in it`, { timeout: 20 * 60 * 1000 }, () => {
	let sim;
	let n8n;

	before(async () => {
		stopChildrenOnExit();
		sim = await startSimulator();
		n8n = await prepareN8n({ version: VERSION });
		n8n.watchSecrets(sim.apiKey);
		const picked = { humirisApi: { id: SIM_CREDENTIAL.id, name: SIM_CREDENTIAL.name } };
		await n8n.importCredentials([
			humirisCredential({ ...SIM_CREDENTIAL, apiKey: sim.apiKey, mixTuningId: sim.mixTuningId, baseUrl: sim.url }),
		]);
		await n8n.importWorkflow([
			withCredentials(loadExample('06-llm-chain-with-humiris-model.json'), picked),
			withCredentials(loadExample('05-draft-and-refine.json'), picked),
		]);
	});

	after(async () => {
		await n8n?.dispose();
		await sim?.stop();
		printTimings(timings);
	});

	test('Humiris Chat Model stops with "needs n8n 2.16 or later"; Humiris Chat runs in the same n8n', async () => {
		const started = Date.now();
		const chain = await n8n.execute('humirisExample06');
		assert.equal(chain.code, 1, `the chain fails\n${chain.stdout.slice(-2000)}`);
		assert.ok(chain.run, 'the failed run data is printed');
		// 1.x reports "Error in sub-node Humiris Chat Model" on the chain; the sub-node's own error
		// (what the editor shows on it) carries our message.
		const { error, runData } = chain.run.data.resultData;
		const modelError = runData['Humiris Chat Model']?.[0]?.error;
		const shown = [error.message, error.description, modelError?.message].filter(Boolean).join('\n');
		assert.match(shown, /Humiris Chat Model needs n8n 2\.16 or later/, JSON.stringify(error).slice(0, 2000));
		assert.equal(completionRequests(await sim.requests()).length, 0, 'nothing was sent');

		const chat = await n8n.execute('humirisExample05');
		assertRan(chat, ['Draft', 'Refine']);
		assert.ok(outputItems(chat.run, 'Refine')[0].refined.content.length > 0);
		timings.push({ version: VERSION, name: 'model node refuses, Humiris Chat runs', seconds: (Date.now() - started) / 1000 });
	});
});
