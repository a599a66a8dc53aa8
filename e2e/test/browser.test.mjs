// The node as users meet it: n8n's real editor in headless Chromium (Debian's package, driven by
// playwright-core; never a downloaded browser). Logs in, opens example 1, opens the Humiris Chat
// panel, checks its parameters render and that it executes from the UI, and saves screenshots;
// then adds an AI Agent to an empty workflow and picks Humiris Chat Model from its model slot.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { chromium } from 'playwright-core';

import { CHROMIUM } from '../lib/chromium.mjs';
import { OWNER, startEditor } from '../lib/editor.mjs';
import { completionRequests } from '../lib/harness.mjs';
import { DOCS_DIR, E2E_DIR } from '../lib/paths.mjs';
import { stopAll, stopChildrenOnExit } from '../lib/proc.mjs';
import { freePort } from '../lib/http.mjs';

const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
// Tracked screenshots (the README's) change only on request; other runs keep theirs aside.
const SCREENSHOTS = process.env.HUMIRIS_UPDATE_SCREENSHOTS ? DOCS_DIR : path.join(E2E_DIR, 'test-results');
const HUMIRIS_NODE = '[data-test-id="canvas-node"][data-node-name="Classify ticket"]';

let editor;
let context;
let profileDir;

before(async () => {
	stopChildrenOnExit();
	assert.ok(existsSync(CHROMIUM), `${CHROMIUM} exists (apt-get install -y chromium)`);
	editor = await startEditor({ version: '2.41.1', port: await freePort() });
	profileDir = mkdtempSync(path.join(tmpdir(), 'humiris-chromium-'));
	context = await chromium.launchPersistentContext(profileDir, {
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_FLAGS,
		viewport: { width: 1440, height: 900 },
	});
});

after(async () => {
	await context?.close();
	await editor?.n8n.dispose();
	await editor?.simulator.stop();
	await stopAll();
	if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

test('the Humiris Chat node renders and runs in the real n8n 2.41.1 editor', { timeout: 5 * 60 * 1000 }, async (t) => {
	const page = context.pages()[0] ?? (await context.newPage());
	mkdirSync(SCREENSHOTS, { recursive: true });

	await page.goto(`${editor.baseUrl}/signin`);
	await page.fill('#emailOrLdapLoginId', OWNER.email);
	await page.fill('#password', OWNER.password);
	await page.click('[data-test-id="form-submit-button"]');
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30000 });

	await page.goto(`${editor.baseUrl}/workflow/humirisExample01`);
	const humirisNode = page.locator(HUMIRIS_NODE);
	await humirisNode.waitFor({ timeout: 60000 });
	assert.equal(await humirisNode.getAttribute('data-node-type'), 'n8n-nodes-humiris.humirisChat');
	// A node type n8n could not load is drawn as a placeholder without its icon.
	assert.equal(await humirisNode.locator('img').count(), 1, 'the node shows its own icon');
	await page.screenshot({ path: path.join(SCREENSHOTS, 'humiris-example-workflow.png') });

	await humirisNode.dblclick();
	const ndv = page.locator('[data-test-id="ndv"]');
	await ndv.waitFor();
	const parameters = ndv.locator('[data-test-id="node-parameters"]');
	for (const label of ['Credential', 'Model', 'Messages From', 'Prompt', 'System Message', 'Simplify Output', 'Options', 'Response Format', 'Fix-up Attempts']) {
		await parameters.getByText(label, { exact: true }).first().waitFor({ timeout: 10000 });
	}
	assert.equal(await parameters.locator('[data-test-id="parameter-input-model"] input').inputValue(), 'Humiris/humiris-moai');
	assert.equal(
		await parameters.locator('[data-test-id="node-credentials-select"] input').first().inputValue(),
		'Humiris (local simulator)',
	);

	// The three prompt modes are offered.
	await parameters.locator('[data-test-id="parameter-input-messageMode"]').click();
	for (const mode of ['Prompt', 'Message List', 'JSON']) {
		await page.locator('.el-select-dropdown__item:visible', { hasText: new RegExp(`^${mode}[A-Z]`) }).first().waitFor({ timeout: 10000 });
	}
	await page.keyboard.press('Escape');
	// The options not set yet are offered under "Add Option".
	await parameters.locator('[data-test-id="collection-parameter-add"]').click();
	for (const option of ['Concurrency', 'Max Retries', 'Maximum Tokens', 'Timeout']) {
		await page.locator('.el-select-dropdown__item:visible', { hasText: new RegExp(`^${option}$`) }).first().waitFor({ timeout: 10000 });
	}
	await page.keyboard.press('Escape');

	// Run it from the panel: n8n runs the nodes before it too, then shows the output.
	await ndv.locator('[data-test-id="node-execute-button"]').first().click();
	const output = ndv.locator('[data-test-id="output-panel"]');
	await output.getByText('billing').first().waitFor({ timeout: 60000 });
	await output.getByText('4 items').first().waitFor({ timeout: 10000 });
	const requests = completionRequests(await editor.simulator.requests());
	assert.equal(requests.length, 4, 'the UI run sent the four tickets to the simulator');
	await page.screenshot({ path: path.join(SCREENSHOTS, 'humiris-chat-panel.png') });
	t.diagnostic(`screenshots in ${SCREENSHOTS}`);
});

test("an AI Agent's Chat Model slot finds and takes the Humiris Chat Model", { timeout: 5 * 60 * 1000 }, async (t) => {
	const page = context.pages()[0] ?? (await context.newPage());
	mkdirSync(SCREENSHOTS, { recursive: true });
	// A new user's path: an empty workflow (signing in first unless the test above did), add an
	// AI Agent from the nodes panel.
	const addButton = page.locator('[data-test-id="canvas-add-button"]').first();
	const login = page.locator('#emailOrLdapLoginId');
	await page.goto(`${editor.baseUrl}/workflow/new`);
	await Promise.any([addButton.waitFor({ timeout: 60000 }), login.waitFor({ timeout: 60000 })]);
	if (await login.isVisible()) {
		await login.fill(OWNER.email);
		await page.fill('#password', OWNER.password);
		await page.click('[data-test-id="form-submit-button"]');
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30000 });
		await page.goto(`${editor.baseUrl}/workflow/new`);
	}
	await addButton.click();
	const search = page.locator('[data-test-id="node-creator-search-bar"]');
	await search.fill('AI Agent');
	await page.locator('[data-test-id="node-creator-item-name"]', { hasText: /^AI Agent$/ }).first().click();
	const agent = page.locator('[data-test-id="canvas-node"][data-node-type="@n8n/n8n-nodes-langchain.agent"]');
	await agent.waitFor({ timeout: 30000 });
	if (await page.locator('[data-test-id="ndv"]').isVisible()) await page.keyboard.press('Escape');

	// Its Chat Model slot opens the panel on language models: search "humiris", pick ours.
	const slot = page.locator('[data-test-id="canvas-node-input-handle"][data-connection-type="ai_languageModel"]');
	await slot.locator('[data-test-id="canvas-handle-plus"]').first().click();
	await search.fill('humiris');
	const model = page.locator('[data-test-id="node-creator-item-name"]', { hasText: /^Humiris Chat Model$/ });
	await model.first().waitFor({ timeout: 15000 });
	const offered = await page.locator('[data-test-id="node-creator-item-name"]:visible').allInnerTexts();
	assert.ok(!offered.includes('Humiris Chat'), `only language models are offered in the slot: ${offered.join(', ')}`);
	await model.first().click();
	// A community node opens its details page first (installed via npm): add it from there.
	await page.getByRole('button', { name: 'Add to workflow' }).click({ timeout: 15000 });

	// The model lands on the canvas under the Agent; its panel shows the only Humiris credential
	// picked and the default model.
	const modelNode = page.locator('[data-test-id="canvas-node"][data-node-type="n8n-nodes-humiris.lmChatHumiris"]');
	await modelNode.waitFor({ timeout: 15000 }).catch(async (error) => {
		await page.screenshot({ path: path.join(SCREENSHOTS, 'failure-model-slot.png') });
		throw error;
	});
	const ndv = page.locator('[data-test-id="ndv"]');
	if (!(await ndv.isVisible())) await modelNode.dblclick();
	await ndv.waitFor({ timeout: 15000 });
	const parameters = ndv.locator('[data-test-id="node-parameters"]');
	await parameters.locator('[data-test-id="parameter-input-model"] input').waitFor({ timeout: 15000 });
	assert.equal(await parameters.locator('[data-test-id="parameter-input-model"] input').inputValue(), 'Humiris/humiris-moai');
	assert.equal(
		await parameters.locator('[data-test-id="node-credentials-select"] input').first().inputValue(),
		'Humiris (local simulator)',
	);
	await page.screenshot({ path: path.join(SCREENSHOTS, 'humiris-chat-model-panel.png') });
	await page.keyboard.press('Escape');
	assert.equal(await modelNode.locator('img').count(), 1, 'the model node shows its own icon');
	await page.locator('[data-test-id="canvas-zoom-to-fit"]').first().click().catch(() => {});
	await page.screenshot({ path: path.join(SCREENSHOTS, 'humiris-chat-model-agent.png') });
	t.diagnostic(`screenshots in ${SCREENSHOTS}`);
});

// The path a new user takes: a new, empty workflow, so nothing on the canvas makes n8n show AI
// nodes anyway; the node must come up when its name is searched in the nodes panel.
test('a new user finds Humiris Chat by searching the nodes panel, adds it and runs it', { timeout: 5 * 60 * 1000 }, async () => {
	// Signed in through n8n's REST login, which sets the session cookie for the whole browser
	// context: this test does not rely on the one above having signed in.
	const login = await context.request.post(`${editor.baseUrl}/rest/login`, {
		data: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
	});
	assert.equal(login.status(), 200, 'signed in');
	const page = await context.newPage();
	await page.goto(`${editor.baseUrl}/workflow/new`);
	const search = page.locator('[data-test-id="node-creator-search-bar"]');
	const creatorItem = (name) =>
		page.locator('[data-test-id="node-creator-item-name"]').getByText(name, { exact: true }).first();

	await page.locator('[data-test-id="canvas-add-button"]').click({ timeout: 60000 });
	await search.fill('Manual');
	await creatorItem('Trigger manually').click({ timeout: 15000 });
	await page.locator('[data-test-id="canvas-node"][data-node-type="n8n-nodes-base.manualTrigger"]').waitFor({ timeout: 15000 });
	await page.keyboard.press('Escape');

	await page.locator('[data-test-id="node-creator-plus-button"]').click();
	await search.fill('Humiris Chat');
	await creatorItem('Humiris Chat').click({ timeout: 15000 });
	const added = page.locator('[data-test-id="canvas-node"][data-node-type="n8n-nodes-humiris.humirisChat"]');
	// A community node opens its details ("Installed · Via npm") before it lands on the canvas.
	const addButton = page.getByRole('button', { name: /^Add to workflow$/ });
	await Promise.race([added.waitFor({ timeout: 20000 }), addButton.click({ timeout: 20000 }).catch(() => {})]);
	await added.waitFor({ timeout: 20000 });
	assert.equal(await added.count(), 1, 'Humiris Chat is on the canvas');

	// Its panel is open with the only Humiris credential already picked. The Manual Trigger's
	// item has no text, so the user writes the prompt (Define Below) and runs the step.
	const ndv = page.locator('[data-test-id="ndv"]');
	if (!(await ndv.isVisible())) await added.dblclick();
	const parameters = ndv.locator('[data-test-id="node-parameters"]');
	await parameters.locator('[data-test-id="node-credentials-select"] input').first().waitFor({ timeout: 15000 });
	assert.equal(
		await parameters.locator('[data-test-id="node-credentials-select"] input').first().inputValue(),
		'Humiris (local simulator)',
	);
	await parameters.locator('[data-test-id="parameter-input-promptType"]').click();
	await page.locator('.el-select-dropdown__item:visible', { hasText: /^Define Below/ }).first().click();
	const prompt = 'Say hello to the operations team';
	const promptField = parameters.locator('[data-test-id="parameter-input-prompt"]');
	await promptField.locator('textarea, input').first().fill(prompt);
	const before = completionRequests(await editor.simulator.requests()).length;
	await ndv.locator('[data-test-id="node-execute-button"]').first().click();
	const output = ndv.locator('[data-test-id="output-panel"]');
	await output.getByText(`MoAI answer to: ${prompt}`).first().waitFor({ timeout: 60000 });
	const sent = completionRequests(await editor.simulator.requests()).slice(before);
	assert.equal(sent.length, 1, 'one completion request for the one item');
	assert.equal(sent[0].body.messages.at(-1).content, prompt, 'the prompt the user typed is what was sent');
	await page.screenshot({ path: path.join(SCREENSHOTS, 'humiris-new-user-run.png') });

	// n8n opens the new node's panel; the canvas behind it is what this screenshot is for.
	await page.keyboard.press('Escape');
	await page.screenshot({ path: path.join(SCREENSHOTS, 'humiris-new-user-search.png') });
	await page.close();
});
