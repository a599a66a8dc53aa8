// The credential's Test button as n8n 2.41.1 runs it: POST /rest/credentials/test on a real
// n8n, so the test rules (status rules and body rules in one list, a rule matching a missing
// field) are proven on n8n's own CredentialsTester rather than on the harness's copy of it.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { chromium } from 'playwright-core';

import { CHROMIUM } from '../lib/chromium.mjs';
import { OWNER, startEditor } from '../lib/editor.mjs';
import { SIM_CREDENTIAL, completionRequests } from '../lib/harness.mjs';
import { E2E_DIR } from '../lib/paths.mjs';
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

	// A 200 JSON answer that is not a chat completion (the simulator's status fault, a bare JSON object).
	await editor.simulator.configure({ faults: { rate: 1, kinds: ['200'] } });
	const notCompletion = await pressTest(credential());
	await editor.simulator.configure({ faults: null });
	assert.equal(notCompletion.status, 'Error');
	assert.match(notCompletion.message, /^The Base URL answered, but not with a chat completion\./);

	const wrongKey = await pressTest(credential({ apiKey: 'dummy-wrong-key-0000' }));
	assert.match(wrongKey.message, /^Humiris rejected the API key \(401 Unauthorized\)\./);

	// Checked by the credential before anything is sent, in the nodes' words.
	await editor.simulator.reset();
	const emptyMix = await pressTest(credential({ mixTuningId: '' }));
	assert.equal(emptyMix.status, 'Error');
	assert.match(emptyMix.message, /^The MixTuning ID in the Humiris API credential is empty\. Open the credential and fill in the MixTuning ID field/);
	assert.deepEqual(completionRequests(await editor.simulator.requests()), [], 'nothing sent for an empty MixTuning ID');
});

test('the credential test in real n8n keeps a Base URL\'s query after the path and sends its userinfo as basic auth', { timeout: 5 * 60 * 1000 }, async () => {
	const { simulator } = editor;
	await simulator.reset();
	const baseUrl = `${simulator.url.replace('://', '://proxy-user:pw%23e2e-51ac@')}/?code=qv-e2e-93d1&region=eu`;

	assert.deepEqual(await pressTest(credential({ baseUrl })), { status: 'OK', message: 'Connection successful!' });
	const [request, ...more] = completionRequests(await simulator.requests());
	assert.equal(more.length, 0, 'one request');
	assert.equal(request.path, '/api/v1/chat/completions');
	assert.equal(request.query, 'code=qv-e2e-93d1&region=eu');
	assert.equal(request.headers.authorization, `Basic ${Buffer.from('proxy-user:pw#e2e-51ac').toString('base64')}`);
});

test('the credential test in real n8n refuses, before sending, a Base URL the nodes refuse', { timeout: 5 * 60 * 1000 }, async () => {
	const { simulator } = editor;
	const host = simulator.url.replace('http://', '');
	for (const baseUrl of [`ftp://${host}`, 'file:///etc/hosts', host, `${simulator.url}#section`, `http://proxy-user:pw#e2e@${host}`]) {
		await simulator.reset();
		const said = await pressTest(credential({ baseUrl }));
		// What n8n answers for a URL it cannot send to: its own code, without the URL.
		assert.deepEqual(said, { status: 'Error', message: 'ERR_INVALID_URL' }, baseUrl);
		assert.deepEqual(await simulator.requests(), [], `nothing sent for ${baseUrl}`);
	}
});

// n8n has no field-level URL check a credential can use (its `validateType: 'url'` takes a
// missing scheme, ftp:// and file://, and the credential form hides parameter issues), so
// the credential shows notices under the Base URL that its display rules show while the
// value will be refused. Proven here in the editor the user sees, in Debian's Chromium.
test('the credential form in the real editor says why a Base URL will be refused, while it is typed', { timeout: 5 * 60 * 1000 }, async () => {
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
	});
	try {
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
		const login = await context.request.post(`${editor.baseUrl}/rest/login`, {
			data: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
		});
		assert.equal(login.status(), 200, 'signed in');
		const page = await context.newPage();
		await page.goto(`${editor.baseUrl}/home/credentials/${SIM_CREDENTIAL.id}`);
		const field = page.locator('[data-test-id="parameter-input-baseUrl"] input');
		await field.waitFor({ timeout: 60000 });
		const scheme = page.getByText('The Base URL must start with https://');
		const fragment = page.getByText('A # in the Base URL starts a fragment');
		const shown = async () => [await scheme.isVisible(), await fragment.isVisible()];

		assert.deepEqual(await shown(), [false, false], 'no notice for the saved Base URL');
		await field.fill('ftp://gw.example/api/v1');
		await scheme.waitFor({ timeout: 10000 });
		assert.deepEqual(await shown(), [true, false], 'ftp://');
		await field.fill('gw.example/api/v1');
		await scheme.waitFor({ timeout: 10000 });
		assert.deepEqual(await shown(), [true, false], 'no scheme');
		await field.fill('https://proxy-user:pa#ss@gw.example/api/v1');
		await fragment.waitFor({ timeout: 10000 });
		await scheme.waitFor({ state: 'hidden', timeout: 10000 });
		assert.deepEqual(await shown(), [false, true], 'a # in the password');
		const results = path.join(E2E_DIR, 'test-results');
		mkdirSync(results, { recursive: true });
		await page.screenshot({ path: path.join(results, 'credential-base-url-notice.png') });
		await field.fill(`${editor.simulator.url}?code=abc`);
		await fragment.waitFor({ state: 'hidden', timeout: 10000 });
		assert.deepEqual(await shown(), [false, false], 'a Base URL with a query');
	} finally {
		await browser.close();
	}
});
