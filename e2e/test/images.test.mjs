// Images in a real n8n 2.41.1: example 09 (an invoice PNG read from disk → Humiris Chat with
// Images From Binary and a JSON Schema), the AI Agent's "Automatically Passthrough Binary Images"
// through the Humiris Chat Model, and both when Humiris refuses images as a text-only model does.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe } from 'node:test';

import { assertRan, completionRequests, importSimCredentials, loadExample, node, outputItems, prepareN8n, withCredentials } from '../lib/harness.mjs';
import { EXAMPLES_DIR } from '../lib/paths.mjs';
import { stopChildrenOnExit } from '../lib/proc.mjs';
import { startSimulator } from '../lib/simulator.mjs';
import { printTimings, timedTest } from '../lib/timings.mjs';

const VERSION = '2.41.1';
const INVOICE = readFileSync(path.join(EXAMPLES_DIR, 'invoice-sample.png'));
const INVOICE_SHA256 = createHash('sha256').update(INVOICE).digest('hex');
const REFUSED = (status) =>
	`Humiris (or the models of this MixTuning) did not accept the image sent with this request (HTTP ${status}). Send it without images, or use a MixTuning whose models read images. Humiris said: Invalid content type. image_url is only supported by certain models.`;

/** Example 09 reading the invoice from the folder this n8n may read files from. */
function invoiceExample(filesDir) {
	const workflow = loadExample('09-read-invoice-image.json');
	const read = node(workflow, 'Read invoice image');
	assert.equal(read.parameters.fileSelector, '/home/node/.n8n-files/invoice-sample.png', 'example 9 still reads the file this test provides');
	read.parameters.fileSelector = path.join(filesDir, 'invoice-sample.png');
	return workflow;
}

/** Example 07's Agent on the Humiris Chat Model, its question asked about the invoice image on the item. */
function agentReadingInvoice(filesDir) {
	const workflow = loadExample('07-agent-with-calculator.json');
	workflow.id = 'humirisE2eAgentImg';
	workflow.name = 'AI Agent reads an invoice image';
	const read = node(invoiceExample(filesDir), 'Read invoice image');
	workflow.nodes = workflow.nodes.filter((candidate) => !['Calculator', 'Question'].includes(candidate.name));
	workflow.nodes.push({ ...read, name: 'Question' });
	delete workflow.connections.Calculator;
	const agent = node(workflow, 'AI Agent');
	// "Automatically Passthrough Binary Images" is on by default in the Agent 3.1; set here so the test says what it proves.
	agent.parameters = { promptType: 'define', text: 'What is the total due on this invoice?', options: { passthroughBinaryImages: true } };
	return workflow;
}

const imageParts = (request) =>
	request.body.messages.flatMap((message) => (Array.isArray(message.content) ? message.content : [])).filter((part) => part.type === 'image_url');

stopChildrenOnExit();
const timings = [];
after(() => printTimings(timings));

describe(`n8n ${VERSION}: images from binary data`, { timeout: 20 * 60 * 1000 }, () => {
	let sim;
	let n8n;
	let filesDir;
	const record = (name, seconds) => timings.push({ version: VERSION, name, seconds });
	const scenario = (name, fn) => timedTest(record, name, {}, fn);

	before(async () => {
		const started = Date.now();
		filesDir = mkdtempSync(path.join(tmpdir(), 'humiris-e2e-files-'));
		copyFileSync(path.join(EXAMPLES_DIR, 'invoice-sample.png'), path.join(filesDir, 'invoice-sample.png'));
		sim = await startSimulator();
		n8n = await prepareN8n({ version: VERSION, env: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir } });
		n8n.watchSecrets(sim.apiKey);
		const { good } = await importSimCredentials(n8n, sim, { id: 'humirisBadCred09', name: 'Humiris (wrong key)', apiKey: 'wrong-dummy-key-09' });
		await n8n.importWorkflow([
			withCredentials(invoiceExample(filesDir), { humirisApi: good }),
			withCredentials(agentReadingInvoice(filesDir), { humirisApi: good }),
		]);
		record('prepare + import (images)', (Date.now() - started) / 1000);
	});

	after(async () => {
		await n8n?.dispose();
		await sim?.stop();
		if (filesDir) rmSync(filesDir, { recursive: true, force: true });
	});

	beforeEach(() => sim.reset());

	scenario('Images 1. Example 09: the invoice PNG goes to Humiris as an image_url part, its fields come back fitting the schema', async () => {
		const result = await n8n.execute('humirisExample09');
		assertRan(result, ['Read invoice image', 'Extract invoice fields']);
		const [item] = outputItems(result.run, 'Extract invoice fields');
		assert.deepEqual(Object.keys(item.invoice.content).sort(), ['currency', 'customer', 'invoiceDate', 'invoiceNumber', 'lineItems', 'total', 'vendor']);
		assert.equal(item.invoice.content.currency, 'EUR');
		assert.equal(item.fileName, 'invoice-sample.png', 'Keep Input Fields keeps what Read Files from Disk said about the file');
		const [run] = result.run.data.resultData.runData['Extract invoice fields'];
		assert.equal(run.data.main[0][0].binary.data.fileName, 'invoice-sample.png', 'the binary travels on');
		assert.match(run.hints.at(-1).message, /; 1 image sent\.$/);
		assert.ok(!JSON.stringify(item).includes(INVOICE.toString('base64').slice(100, 160)), 'no image bytes in the output JSON');

		const [request] = completionRequests(await sim.requests());
		assert.deepEqual(request.images, [{ message: 1, mime: 'image/png', bytes: INVOICE.length, sha256: INVOICE_SHA256, detail: 'high' }]);
		const content = request.body.messages.at(-1).content;
		assert.deepEqual(content[0], { type: 'text', text: 'Read this invoice and return its fields.' });
		assert.match(content[1].image_url.url, /^data:image\/png;base64,iVBORw0KGgo/);
		assert.equal(request.body.response_format.type, 'json_schema');
	});

	scenario('Images 2. AI Agent passthrough: the invoice reaches Humiris through the Humiris Chat Model as an image_url part', async () => {
		const result = await n8n.execute('humirisE2eAgentImg');
		assertRan(result, ['Question', 'AI Agent', 'Humiris Chat Model']);
		const [answer] = outputItems(result.run, 'AI Agent');
		assert.match(answer.output, new RegExp(`image/png ${INVOICE.length} bytes sha256=${INVOICE_SHA256}`), answer.output);

		const [request] = completionRequests(await sim.requests());
		assert.equal(imageParts(request).length, 1);
		assert.match(imageParts(request)[0].image_url.url, /^data:image\/png;base64,/);
		assert.deepEqual(
			request.images.map(({ mime, bytes, sha256 }) => ({ mime, bytes, sha256 })),
			[{ mime: 'image/png', bytes: INVOICE.length, sha256: INVOICE_SHA256 }],
		);
	});

	scenario('Images 3. A refusal of images reads the same in Humiris Chat and through the Agent, and is not retried', async () => {
		await sim.configure({ images: false });
		const chat = await n8n.execute('humirisExample09');
		assert.equal(chat.code, 1, 'the workflow fails');
		assert.equal(chat.run.data.resultData.error.message, REFUSED(400));
		assert.equal(completionRequests(await sim.requests()).length, 1, 'sent once: a refusal is not retried');

		await sim.reset();
		await sim.configure({ images: false });
		const agent = await n8n.execute('humirisE2eAgentImg');
		assert.equal(agent.code, 1, 'the workflow fails');
		const { error, runData } = agent.run.data.resultData;
		const modelError = runData['Humiris Chat Model']?.[0]?.error;
		assert.equal(modelError?.message, REFUSED(400), "the model's entry carries the plain message");
		assert.equal(error.message, REFUSED(400), "the Agent's error is the same sentence");
		assert.equal(error.description, 'HTTP 400. Humiris said: Invalid content type. image_url is only supported by certain models.');
		assert.equal(completionRequests(await sim.requests()).length, 1, 'sent once through the Agent too');
	});
});
