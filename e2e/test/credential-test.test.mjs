// The credential's Test button as n8n 2.41.1 runs it: POST /rest/credentials/test on a real
// n8n, so the test rules (status rules and body rules in one list, a rule matching a missing
// field) are proven on n8n's own CredentialsTester rather than on the harness's copy of it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { OWNER, startEditor } from '../lib/editor.mjs';
import { SIM_CREDENTIAL } from '../lib/harness.mjs';
import { stopAll, stopChildrenOnExit } from '../lib/proc.mjs';
import { freePort } from '../lib/http.mjs';

let editor;
let cookie;

before(async () => {
	stopChildrenOnExit();
	editor = await startEditor({ version: '2.41.1', port: await freePort() });
	const login = await fetch(`${editor.baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
	});
	assert.equal(login.status, 200, 'logged in');
	cookie = login.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
});

after(async () => {
	await editor?.n8n.dispose();
	await editor?.simulator.stop();
	await stopAll();
});

async function pressTest(data) {
	const response = await fetch(`${editor.baseUrl}/rest/credentials/test`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie },
		// The editor tests the credential it has open: a saved one, with the values in the form.
		body: JSON.stringify({ credentials: { id: SIM_CREDENTIAL.id, name: SIM_CREDENTIAL.name, type: 'humirisApi', data } }),
	});
	assert.equal(response.status, 200, `credential test answered: ${await response.clone().text()}`);
	return (await response.json()).data;
}

function credential(overrides = {}) {
	const { simulator } = editor;
	return { apiKey: simulator.apiKey, mixTuningId: simulator.mixTuningId, baseUrl: simulator.url, ...overrides };
}

test('the credential test in real n8n passes only on a chat completion', { timeout: 5 * 60 * 1000 }, async () => {
	assert.deepEqual(await pressTest(credential()), { status: 'OK', message: 'Connection successful!' });

	// A 200 JSON answer that is not a chat completion (the simulator's own control endpoint).
	const notCompletion = await pressTest(credential({ baseUrl: `${editor.simulator.origin}/__sim/reset?path=` }));
	assert.equal(notCompletion.status, 'Error');
	assert.match(notCompletion.message, /^The Base URL answered, but not with a chat completion\./);

	const wrongKey = await pressTest(credential({ apiKey: 'dummy-wrong-key-0000' }));
	assert.match(wrongKey.message, /^Humiris rejected the API key \(401 Unauthorized\)\./);

	const emptyMix = await pressTest(credential({ mixTuningId: '' }));
	assert.match(emptyMix.message, /^Humiris rejected the request as invalid \(400 Bad Request\)\. Check the MixTuning ID/);
});
