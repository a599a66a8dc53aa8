// Humiris inside n8n's AI surface, in a real n8n: the Humiris Chat Model under a Basic LLM
// Chain and an AI Agent (with n8n's Calculator, with Humiris Chat as a tool, streaming behind a
// Chat Trigger), and a wrong key through an Agent. Examples 06–08 are the shipped workflows.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe } from 'node:test';

import { assertRan, completionRequests, importSimCredentials, loadExample, node, outputItems, prepareN8n, withCredentials } from './harness.mjs';
import { stopChildrenOnExit } from './proc.mjs';
import { startSimulator } from './simulator.mjs';
import { callWebhook, freePort } from './http.mjs';
import { timedTest } from './timings.mjs';

const BAD_KEY_CREDENTIAL = { id: 'humirisBadCred02', name: 'Humiris (wrong key)' };
const BAD_API_KEY = 'wrong-dummy-key-9a4e71c2';
const UNAUTHORIZED_MESSAGE = /Humiris rejected the API key \(401 Unauthorized\)\. Open the Humiris API credential/;
const TOOL_QUESTION = 'what are three good names for a bakery in Lyon?';

/** Requests the Agent's model sent (they carry `tools`), and those Humiris Chat sent as a tool. */
const withTools = (requests) => requests.filter((request) => Array.isArray(request.body.tools));
const withoutTools = (requests) => requests.filter((request) => !Array.isArray(request.body.tools));

/** Agent + Humiris Chat Model, with Humiris Chat on its defaults connected as the Agent's tool. */
function agentWithHumirisTool() {
	const workflow = loadExample('07-agent-with-calculator.json');
	workflow.id = 'humirisE2eAgentTl';
	workflow.name = 'Humiris Chat as an AI Agent tool';
	// The item also carries the user's own message: the tool must not answer that one.
	node(workflow, 'Question').parameters.assignments.assignments = [
		{ id: 'question', name: 'question', value: `Please ask Humiris: ${TOOL_QUESTION}`, type: 'string' },
		{ id: 'chatInput', name: 'chatInput', value: 'The original user message', type: 'string' },
	];
	workflow.nodes = workflow.nodes.filter((candidate) => candidate.name !== 'Calculator');
	workflow.nodes.push({
		parameters: {},
		id: 'humiris-tool',
		name: 'Ask Humiris',
		type: 'n8n-nodes-humiris.humirisChatTool',
		typeVersion: 1,
		position: [680, 220],
	});
	delete workflow.connections.Calculator;
	workflow.connections['Ask Humiris'] = { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] };
	return workflow;
}

export function aiSuite(version, timings) {
	stopChildrenOnExit();
	describe(`n8n ${version}: Humiris Chat Model in the AI Agent and chains`, { timeout: 30 * 60 * 1000 }, () => {
		let sim;
		let n8n;
		const record = (name, seconds) => timings.push({ version, name, seconds });

		before(async () => {
			const started = Date.now();
			sim = await startSimulator();
			n8n = await prepareN8n({ version });
			record('prepare (n8n from cache + tarball installed)', (Date.now() - started) / 1000);
			n8n.watchSecrets(sim.apiKey, BAD_API_KEY);
			const importStarted = Date.now();
			const { good, bad } = await importSimCredentials(n8n, sim, { ...BAD_KEY_CREDENTIAL, apiKey: BAD_API_KEY });
			const badKeyAgent = withCredentials(loadExample('07-agent-with-calculator.json'), { humirisApi: bad });
			badKeyAgent.id = 'humirisE2eAgentBK';
			badKeyAgent.name += ' (wrong key)';
			await n8n.importWorkflow([
				withCredentials(loadExample('06-llm-chain-with-humiris-model.json'), { humirisApi: good }),
				withCredentials(loadExample('07-agent-with-calculator.json'), { humirisApi: good }),
				withCredentials(loadExample('08-streaming-chat-agent.json'), { humirisApi: good }),
				withCredentials(agentWithHumirisTool(), { humirisApi: good }),
				badKeyAgent,
			]);
			record('import credentials + AI workflows', (Date.now() - importStarted) / 1000);
		});

		after(async () => {
			await n8n?.dispose();
			await sim?.stop();
		});

		beforeEach(() => sim.reset());

		const scenario = (name, fn) => timedTest(record, name, {}, fn);

		scenario('AI 1. Basic LLM Chain + Humiris Chat Model', async () => {
			const result = await n8n.execute('humirisExample06');
			assertRan(result, ['Question', 'Basic LLM Chain', 'Humiris Chat Model']);
			const question = node(loadExample('06-llm-chain-with-humiris-model.json'), 'Question').parameters.assignments.assignments[0].value;
			const [answer] = outputItems(result.run, 'Basic LLM Chain');
			assert.equal(answer.text, `MoAI answer to: ${question}`);

			const requests = completionRequests(await sim.requests());
			assert.equal(requests.length, 1);
			assert.equal(requests[0].headers.apikey, sim.apiKey);
			assert.equal(requests[0].headers.authorization, undefined, 'no Bearer token: the credential sends apikey + mixTuningId');
			assert.equal(requests[0].body.model, 'Humiris/humiris-moai');
			assert.equal(requests[0].body.stream, undefined);
			assert.equal(requests[0].body.messages.at(-1).content, question);
			// n8n logs the model call with its token usage (what the editor shows on the sub-node).
			const [call] = result.run.data.resultData.runData['Humiris Chat Model'];
			const usage = call.data.ai_languageModel[0][0].json.tokenUsage;
			assert.ok(usage.promptTokens > 0 && usage.completionTokens > 0, JSON.stringify(usage));
		});

		scenario("AI 2. AI Agent + Humiris Chat Model + Calculator: the tool loop runs through Humiris", async () => {
			const result = await n8n.execute('humirisExample07');
			assertRan(result, ['Question', 'AI Agent', 'Humiris Chat Model', 'Calculator']);
			const [answer] = outputItems(result.run, 'AI Agent');
			assert.match(answer.output, /7006652/, 'the Calculator result reaches the answer');

			const requests = completionRequests(await sim.requests());
			assert.equal(requests.length, 2, 'one call that asks for the tool, one that answers with its result');
			const [first, second] = requests;
			assert.deepEqual(first.body.tools.map((tool) => tool.function.name), ['Calculator']);
			assert.equal(first.body.tools[0].type, 'function');
			assert.equal(first.body.tools[0].function.parameters.type, 'object');
			const [assistant, toolResult] = second.body.messages.slice(-2);
			assert.equal(assistant.role, 'assistant');
			assert.equal(assistant.tool_calls[0].function.name, 'Calculator');
			assert.equal(JSON.parse(assistant.tool_calls[0].function.arguments).input, '1234 * 5678');
			assert.equal(toolResult.role, 'tool');
			assert.equal(toolResult.tool_call_id, assistant.tool_calls[0].id);
			// n8n wraps a tool's output as [{"response": …}].
			assert.deepEqual(JSON.parse(toolResult.content), [{ response: '7006652' }]);
		});

		scenario('AI 3. Chat Trigger (streaming) → AI Agent + Humiris Chat Model, called over HTTP', async (t) => {
			const activate = await n8n.activate('humirisExample08');
			assert.equal(activate.code, 0, `publishing the workflow works\n${activate.stdout}\n${activate.stderr}`);
			const port = await freePort();
			const startedAt = Date.now();
			const baseUrl = await n8n.start({ port });
			t.diagnostic(`n8n start ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
			try {
				const webhookId = node(loadExample('08-streaming-chat-agent.json'), 'When chat message received').webhookId;
				const chatInput = 'Where can I download my invoices?';
				const { response, text } = await callWebhook(`${baseUrl}/webhook/${webhookId}/chat`, {
					action: 'sendMessage',
					sessionId: 'e2e-session-1',
					chatInput,
				});
				assert.equal(response.status, 200, `the chat webhook answers 200: ${text}\n${n8n.serverLog().slice(-3000)}`);
				n8n.assertNoSecret(text, 'the chat stream');
				const events = text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
				const streamed = events.filter((event) => event.type === 'item').map((event) => event.content).join('');
				assert.equal(streamed, `MoAI answer to: ${chatInput}`, `the answer arrives in the stream: ${text}`);
				assert.ok(events.some((event) => event.type === 'end'), 'the stream ends');
				assert.ok(!events.some((event) => event.type === 'error'), `no error in the stream: ${text}`);
				const requests = completionRequests(await sim.requests());
				assert.equal(requests.length, 1);
				assert.equal(requests[0].body.stream, undefined, 'Humiris documents no streaming: a plain request');
			} finally {
				await n8n.stop();
			}
		});

		scenario('AI 4. AI Agent calls Humiris Chat (default settings) as a tool with the question its model wrote', async () => {
			const result = await n8n.execute('humirisE2eAgentTl');
			assertRan(result, ['Question', 'AI Agent', 'Humiris Chat Model', 'Ask Humiris']);

			const requests = completionRequests(await sim.requests());
			const [askForTool, afterTool] = withTools(requests);
			const toolRequests = withoutTools(requests);
			assert.equal(withTools(requests).length, 2);
			assert.equal(toolRequests.length, 1, 'Humiris Chat sent exactly one request as the tool');

			// The schema offered to the Agent's model has the question in it, and says what the tool does.
			const offered = askForTool.body.tools[0].function;
			assert.equal(offered.name, 'Ask_Humiris');
			assert.equal(offered.parameters.properties.prompt.type, 'string');
			assert.match(offered.description, /Ask the Humiris MoAI mixture of models/);

			const call = afterTool.body.messages.find((message) => message.role === 'assistant' && message.tool_calls).tool_calls[0];
			const asked = JSON.parse(call.function.arguments).prompt;
			assert.equal(asked, TOOL_QUESTION);
			const sent = toolRequests[0].body.messages;
			assert.equal(sent.at(-1).role, 'user');
			assert.equal(sent.at(-1).content, asked, "Humiris Chat asked the model's question, not the item's chatInput");
			assert.ok(!JSON.stringify(sent).includes('The original user message'));

			const toolMessage = afterTool.body.messages.at(-1);
			assert.equal(toolMessage.role, 'tool');
			assert.ok(toolMessage.content.includes(`MoAI answer to: ${TOOL_QUESTION}`), toolMessage.content);
			const [answer] = outputItems(result.run, 'AI Agent');
			assert.match(answer.output, /^MoAI answer from the tool result: /);
			assert.ok(answer.output.includes(TOOL_QUESTION));
		});

		scenario('AI 5. a wrong API key through an Agent fails with the plain-language message, the key nowhere', async () => {
			const result = await n8n.execute('humirisE2eAgentBK');
			assert.equal(result.code, 1, `execute exits 1 on a workflow error\n${result.stdout.slice(-2000)}`);
			assert.ok(result.run, 'the failed run data is printed');
			const { error } = result.run.data.resultData;
			assert.match(error.message, UNAUTHORIZED_MESSAGE);
			assert.ok(!/at .*\.js:\d+/.test(error.message), 'no stack in the message');
			assert.ok(!JSON.stringify(result.run).includes(BAD_API_KEY));
			const requests = completionRequests(await sim.requests());
			assert.equal(requests.length, 1, 'a 401 is sent once: no retry layer on top');
			assert.equal(requests[0].status, 401);
		});
	});
}
