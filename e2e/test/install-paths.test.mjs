// The packed package in n8n 2.41.1 installed both ways a user can: as n8n's Community Nodes
// installer does (peer dependencies stripped, so the package loads n8n's own n8n-workflow, SDK
// and zod), and with a plain `npm install <tarball>` in the nodes folder (npm installs the peers
// too, and the package loads its own copies). On each, an AI Agent on the Humiris Chat Model
// calls a Code Tool with an input schema and Humiris Chat as a tool, and a wrong key is tried
// through the Agent and through Humiris Chat. The tool schemas each path sends are printed.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';

import { AGENT_QUESTIONS, BAKERY_QUESTION, ORDER_ID, ORDER_TOOL_SCHEMA, agentWithTools } from '../lib/agent-workflows.mjs';
import { assertRan, completionRequests, importSimCredentials, loadExample, outputItems, tarball, withCredentials } from '../lib/harness.mjs';
import { ensureN8n } from '../lib/install.mjs';
import { N8n } from '../lib/n8n.mjs';
import { npmInstallIntoNodesFolder } from '../lib/nodes-folder.mjs';
import { installTarball } from '../lib/pack.mjs';
import { stopChildrenOnExit } from '../lib/proc.mjs';
import { startSimulator } from '../lib/simulator.mjs';
import { printTimings, timedTest } from '../lib/timings.mjs';

const VERSION = '2.41.1';
const BAD_KEY_CREDENTIAL = { id: 'humirisBadCred03', name: 'Humiris (wrong key)' };
const BAD_API_KEY = 'wrong-dummy-key-3b8e05d1';
const UNAUTHORIZED_MESSAGE = /^Humiris rejected the API key \(401 Unauthorized\)\. Open the Humiris API credential/;
/** What n8n's SDK sends for the Code Tool's schema when it recognises the zod object. */
const ORDER_TOOL_PARAMETERS = { ...ORDER_TOOL_SCHEMA, additionalProperties: false, $schema: 'http://json-schema.org/draft-07/schema#' };

const PATHS = [
	{
		key: 'community',
		title: "installed as n8n's Community Nodes installer does (peer dependencies stripped)",
		install: (file, n8n) => installTarball(file, n8n.userFolder),
		ownSdk: false,
	},
	{
		key: 'npm',
		title: 'installed with a plain `npm install <tarball>` in the nodes folder (peer dependencies installed)',
		install: (file, n8n, install) => npmInstallIntoNodesFolder(file, n8n.userFolder, { install }),
		ownSdk: true,
	},
];

const timings = [];
/** Per install path: what reached the simulator and what n8n reported, compared at the end. */
const seen = {};

stopChildrenOnExit();

const withTools = (requests) => requests.filter((request) => Array.isArray(request.body.tools));
const withoutTools = (requests) => requests.filter((request) => !Array.isArray(request.body.tools));

/** The request that carries a tool's result back to the model, and the call it answers. */
function toolRound(requests, toolName) {
	for (const request of requests) {
		const messages = request.body.messages;
		const last = messages.at(-1);
		if (last.role !== 'tool') continue;
		const call = messages.findLast((message) => message.role === 'assistant' && message.tool_calls)?.tool_calls[0];
		if (call?.function.name === toolName) return { call, result: last, request };
	}
	return undefined;
}

for (const installPath of PATHS) {
	describe(`n8n ${VERSION}, the package ${installPath.title}`, { timeout: 20 * 60 * 1000 }, () => {
		let sim;
		let n8n;
		const record = (name, seconds) => timings.push({ version: VERSION, name: `[${installPath.key}] ${name}`, seconds });
		const found = (seen[installPath.key] = { errors: {} });

		before(async () => {
			const started = Date.now();
			sim = await startSimulator();
			const install = await ensureN8n(VERSION);
			n8n = new N8n(install);
			n8n.watchSecrets(sim.apiKey, BAD_API_KEY);
			const installed = await installPath.install(await tarball(), n8n, install);
			found.installed = installed;
			record('prepare (simulator + tarball installed)', (Date.now() - started) / 1000);

			const importStarted = Date.now();
			const { good, bad } = await importSimCredentials(n8n, sim, { ...BAD_KEY_CREDENTIAL, apiKey: BAD_API_KEY });
			const badAgent = withCredentials(loadExample('07-agent-with-calculator.json'), { humirisApi: bad });
			badAgent.id = 'humirisPathsAgBK';
			const badChat = withCredentials(loadExample('01-classify-support-tickets.json'), { humirisApi: bad });
			badChat.id = 'humirisPathsChBK';
			await n8n.importWorkflow([withCredentials(agentWithTools('humirisPathsTools', 'Agent with a Code Tool and Humiris Chat'), { humirisApi: good }), badAgent, badChat]);
			record('import credentials + workflows', (Date.now() - importStarted) / 1000);
		});

		after(async () => {
			await n8n?.dispose();
			await sim?.stop();
		});

		beforeEach(() => sim.reset());

		const scenario = (name, fn) => timedTest(record, name, {}, fn);

		scenario(installPath.ownSdk ? 'the package has its own n8n-workflow, AI node SDK and zod' : "the package resolves n8n's own n8n-workflow, AI node SDK and zod", (t) => {
			const modules = path.join(n8n.userFolder, '.n8n', 'nodes', 'node_modules');
			for (const name of ['n8n-workflow', '@n8n/ai-node-sdk', 'zod']) {
				assert.equal(existsSync(path.join(modules, name, 'package.json')), installPath.ownSdk, `${name} in the nodes folder`);
			}
			if (found.installed.own) t.diagnostic(`own copies: ${JSON.stringify(found.installed.own)}; npm install added ${found.installed.packages} packages in ${found.installed.seconds.toFixed(1)} s`);
		});

		scenario('an AI Agent calls a Code Tool with an input schema and Humiris Chat as a tool, each with the arguments its model wrote', async (t) => {
			const result = await n8n.execute('humirisPathsTools');
			assertRan(result, ['Question', 'AI Agent', 'Humiris Chat Model', 'Order lookup', 'Ask Humiris']);
			const requests = completionRequests(await sim.requests());
			const agentRequests = withTools(requests);
			assert.equal(agentRequests.length, 4, 'per question: one call that asks for its tool, one that answers with its result');

			const parameters = Object.fromEntries(agentRequests[0].body.tools.map((tool) => [tool.function.name, tool.function.parameters]));
			found.parameters = parameters;
			t.diagnostic(`tool schemas sent: ${JSON.stringify(parameters)}`);
			assert.deepEqual(Object.keys(parameters).sort(), ['Ask_Humiris', 'Order_lookup']);
			assert.doesNotMatch(JSON.stringify(parameters), /"_def"|"~standard"|"_zod"|"_cached"/, 'no serialized zod object');
			assert.deepEqual(parameters.Order_lookup, ORDER_TOOL_PARAMETERS);
			assert.equal(parameters.Ask_Humiris.type, 'object');
			assert.equal(parameters.Ask_Humiris.properties.prompt.type, 'string');
			for (const request of agentRequests) assert.deepEqual(request.body.tools.map((tool) => tool.function.parameters), Object.values(parameters));

			// The Code Tool ran on the query the model wrote.
			const order = toolRound(agentRequests, 'Order_lookup');
			assert.ok(order, 'the model called the Code Tool');
			// n8n adds the call's id to the arguments it sends back in the history.
			assert.equal(JSON.parse(order.call.function.arguments).query, ORDER_ID);
			assert.match(order.result.content, new RegExp(`Order ${ORDER_ID} ships on Monday`), order.result.content);

			// Humiris Chat, as a tool, asked the question the model wrote.
			const asked = toolRound(agentRequests, 'Ask_Humiris');
			assert.ok(asked, 'the model called Humiris Chat');
			assert.equal(JSON.parse(asked.call.function.arguments).prompt, BAKERY_QUESTION);
			const toolRequests = withoutTools(requests);
			assert.equal(toolRequests.length, 1, 'Humiris Chat sent one request as the tool');
			assert.equal(toolRequests[0].body.messages.at(-1).content, BAKERY_QUESTION);
			assert.ok(asked.result.content.includes(`MoAI answer to: ${BAKERY_QUESTION}`), asked.result.content);

			const answers = outputItems(result.run, 'AI Agent');
			assert.equal(answers.length, AGENT_QUESTIONS.length);
			assert.match(answers[0].output, new RegExp(`^MoAI answer from the tool result: .*Order ${ORDER_ID} ships on Monday`));
			assert.match(answers[1].output, /^MoAI answer from the tool result: /);
			assert.ok(answers[1].output.includes(BAKERY_QUESTION));
		});

		scenario('a wrong API key through the Agent fails with the plain-language message, the key nowhere', async (t) => {
			const result = await n8n.execute('humirisPathsAgBK');
			assert.equal(result.code, 1, `execute exits 1 on a workflow error\n${result.stdout.slice(-2000)}`);
			const { error } = result.run.data.resultData;
			found.errors.agent = { message: error.message, description: error.description };
			// The sub-node's own log entry, what the editor shows on the Humiris Chat Model.
			const modelError = result.run.data.resultData.runData['Humiris Chat Model']?.[0]?.error;
			found.errors.model = { message: modelError?.message, description: modelError?.description };
			t.diagnostic(`Agent error: ${JSON.stringify(found.errors.agent)}; Humiris Chat Model's error: ${JSON.stringify(found.errors.model)}`);
			assert.match(error.message, UNAUTHORIZED_MESSAGE);
			assert.ok(!JSON.stringify(result.run).includes(BAD_API_KEY));
			const requests = completionRequests(await sim.requests());
			assert.deepEqual(requests.map((request) => request.status), [401]);
		});

		scenario('a wrong API key through Humiris Chat fails with the plain-language message and its description', async (t) => {
			const result = await n8n.execute('humirisPathsChBK');
			assert.equal(result.code, 1, `execute exits 1 on a workflow error\n${result.stdout.slice(-2000)}`);
			const { error } = result.run.data.resultData;
			found.errors.chat = { message: error.message, description: error.description };
			t.diagnostic(`Humiris Chat error: ${JSON.stringify(found.errors.chat)}`);
			assert.match(error.message, UNAUTHORIZED_MESSAGE);
			assert.ok(error.description, 'the description says what to fix');
			assert.ok(!JSON.stringify(result.run).includes(BAD_API_KEY));
		});
	});
}

describe('both install paths', () => {
	test('send the same tool schemas and the same error messages', () => {
		const [community, npm] = PATHS.map((installPath) => seen[installPath.key]);
		assert.ok(community.parameters && npm.parameters, 'both paths ran the Agent');
		assert.deepEqual(npm.parameters, community.parameters);
		assert.deepEqual(npm.errors.chat, community.errors.chat);
		assert.deepEqual(npm.errors.model, community.errors.model);
		assert.deepEqual(community.errors.agent, community.errors.chat);
		// With its own n8n-workflow the Agent does not recognise our NodeApiError (instanceof) and
		// wraps it: the message stays, the description becomes the class name (the README says so).
		assert.deepEqual(npm.errors.agent, { message: community.errors.agent.message, description: 'Original error: NodeApiError' });
	});
});

after(() => printTimings(timings));
