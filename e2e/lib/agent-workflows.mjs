// AI Agent workflows built from example 07 for the install-path and queue-mode tests: the Agent
// on the Humiris Chat Model with a Code Tool that has an input schema and Humiris Chat as a tool,
// and the Agent behind a webhook.
import { loadExample, node } from './harness.mjs';

/** The Code Tool's input schema, as a user types it into the node. */
export const ORDER_TOOL_SCHEMA = { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] };
export const ORDER_ID = 'ORD-20931';
export const BAKERY_QUESTION = 'what are three good names for a bakery in Lyon?';
/** The simulated model calls the tool the user's message names, with the text after the name. */
export const AGENT_QUESTIONS = [`Please use Order lookup: ${ORDER_ID}`, `Please ask Humiris: ${BAKERY_QUESTION}`];

/** n8n's Code Tool that says when an order ships: a tool with an input schema. */
export const ORDER_LOOKUP_PARAMETERS = {
	description: 'Looks up when an order ships. Give it the order ID as query.',
	language: 'javaScript',
	jsCode: "return 'Order ' + query.query + ' ships on Monday';",
	specifyInputSchema: true,
	schemaType: 'manual',
	inputSchema: JSON.stringify(ORDER_TOOL_SCHEMA, null, 2),
};

const orderLookupTool = {
	parameters: ORDER_LOOKUP_PARAMETERS,
	id: 'order-lookup',
	name: 'Order lookup',
	type: '@n8n/n8n-nodes-langchain.toolCode',
	typeVersion: 1.3,
	position: [600, 220],
};

const humirisTool = {
	parameters: {},
	id: 'ask-humiris',
	name: 'Ask Humiris',
	type: 'n8n-nodes-humiris.humirisChatTool',
	typeVersion: 1,
	position: [760, 220],
};

const toolConnection = { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] };

/** Manual trigger → two questions → AI Agent with the Code Tool and Humiris Chat as tools. */
export function agentWithTools(id, name) {
	const workflow = loadExample('07-agent-with-calculator.json');
	workflow.id = id;
	workflow.name = name;
	const questions = node(workflow, 'Question');
	questions.type = 'n8n-nodes-base.code';
	questions.typeVersion = 2;
	questions.parameters = { jsCode: `return ${JSON.stringify(AGENT_QUESTIONS)}.map((question) => ({ json: { question } }));` };
	workflow.nodes = workflow.nodes.filter((candidate) => candidate.name !== 'Calculator');
	workflow.nodes.push(orderLookupTool, humirisTool);
	delete workflow.connections.Calculator;
	workflow.connections['Order lookup'] = toolConnection;
	workflow.connections['Ask Humiris'] = toolConnection;
	return workflow;
}

/** POST /webhook/<path> {question} → AI Agent on the Humiris Chat Model → its answer as JSON. */
export function agentBehindWebhook(id, path, webhookId) {
	const workflow = loadExample('07-agent-with-calculator.json');
	workflow.id = id;
	workflow.name = 'Humiris Chat Model: AI Agent behind a webhook';
	const agent = node(workflow, 'AI Agent');
	agent.parameters.text = '={{ $json.body.question }}';
	agent.parameters.options = { systemMessage: 'You are a helpful assistant.' };
	workflow.nodes = workflow.nodes.filter((candidate) => !['Calculator', 'Question', 'When clicking ‘Execute workflow’'].includes(candidate.name));
	workflow.nodes.push({
		parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', options: {} },
		id: 'webhook',
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [220, 0],
		webhookId,
	});
	workflow.connections = {
		Webhook: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
		'Humiris Chat Model': workflow.connections['Humiris Chat Model'],
	};
	return workflow;
}
