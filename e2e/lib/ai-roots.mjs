// The matrix of n8n's AI root nodes over a chat model, as webhook workflows for one `n8n start`:
// each case is built once on the Humiris Chat Model and once on n8n's OpenAI Chat Model (the
// control, pointed at the same simulator), called with a JSON body `{ text, ... }`, and answers
// with what its last node produced.
import { randomUUID } from 'node:crypto';

import { ORDER_LOOKUP_PARAMETERS } from './agent-workflows.mjs';

export const HUMIRIS = 'humiris';
export const OPENAI = 'openai';
export const OPENAI_CREDENTIAL = { id: 'openAiRootsCred1', name: 'OpenAI (local simulator)' };
export const OPENAI_BAD_CREDENTIAL = { id: 'openAiRootsBad01', name: 'OpenAI (wrong key)' };

const LC = '@n8n/n8n-nodes-langchain';
const MODEL_NAME = 'Humiris/humiris-moai';
const TEXT = '={{ $json.body.text }}';

/** The credentials both models take; the OpenAI one carries the MixTuning ID as its custom header. */
export function openAiCredentials(sim, badKey) {
	const data = (apiKey) => ({ apiKey, url: sim.url, header: true, headerName: 'mixTuningId', headerValue: sim.mixTuningId });
	return [
		{ ...OPENAI_CREDENTIAL, type: 'openAiApi', data: data(sim.apiKey) },
		{ ...OPENAI_BAD_CREDENTIAL, type: 'openAiApi', data: data(badKey) },
	];
}

let nodeCounter = 0;
const node = (name, type, typeVersion, parameters = {}, extra = {}) => ({
	id: `roots-node-${++nodeCounter}`,
	name,
	type,
	typeVersion,
	position: [nodeCounter * 40, 0],
	parameters,
	...extra,
});

/** A model sub-node of either kind; `bad` takes the credential whose key the simulator rejects. */
export function modelNode(kind, credentials, { name = 'Model', bad = false } = {}) {
	if (kind === HUMIRIS) {
		return node(name, 'n8n-nodes-humiris.lmChatHumiris', 1, {}, { credentials: { humirisApi: bad ? credentials.bad : credentials.good } });
	}
	return node(
		name,
		`${LC}.lmChatOpenAi`,
		1.3,
		{ model: { __rl: true, mode: 'id', value: MODEL_NAME }, responsesApiEnabled: false, options: { maxRetries: 0 } },
		{ credentials: { openAiApi: bad ? OPENAI_BAD_CREDENTIAL : OPENAI_CREDENTIAL } },
	);
}

const main = (to, index = 0) => ({ node: to, type: 'main', index });
const ai = (type, to, index = 0) => ({ [type]: [[{ node: to, type, index }]] });

/** Builds a workflow from nodes and [from, to, output] main links plus [sub, root, type] AI links. */
function workflow(id, name, nodes, mainLinks, aiLinks) {
	const connections = {};
	for (const [from, to, output = 0] of mainLinks) {
		const outputs = (connections[from] ??= { main: [] }).main;
		while (outputs.length <= output) outputs.push([]);
		outputs[output].push(main(to));
	}
	for (const [sub, root, type, index = 0] of aiLinks) {
		const links = (connections[sub] ??= {});
		(links[type] ??= [[]])[0].push({ node: root, type, index });
	}
	return { id, name, nodes, connections, settings: { executionOrder: 'v1' }, active: false, pinData: {} };
}

function webhook(path, responseMode = 'lastNode') {
	const parameters = { httpMethod: 'POST', path, responseMode, options: {} };
	if (responseMode === 'lastNode') parameters.responseData = 'allEntries';
	return node('Webhook', 'n8n-nodes-base.webhook', 2.1, parameters, { webhookId: randomUUID() });
}

/** A Set node naming the branch an item left by: the router's choice becomes the answer. */
const branch = (name) =>
	node(name, 'n8n-nodes-base.set', 3.4, {
		assignments: { assignments: [{ id: randomUUID(), name: 'branch', value: name, type: 'string' }] },
		includeOtherFields: true,
		options: {},
	});

export const ORDER_SCHEMA_EXAMPLE = { city: 'Paris', items: 2 };
const structuredParser = (options = {}) =>
	node('Structured Output Parser', `${LC}.outputParserStructured`, 1.3, {
		schemaType: 'fromJson',
		jsonSchemaExample: JSON.stringify(ORDER_SCHEMA_EXAMPLE, null, 2),
		...options,
	});

const chain = (extra = {}) => node('Basic LLM Chain', `${LC}.chainLlm`, 1.9, { promptType: 'define', text: TEXT, ...extra });
const agent = (extra = {}, options = {}) => node('AI Agent', `${LC}.agent`, 3.1, { promptType: 'define', text: TEXT, options, ...extra });
const calculator = () => node('Calculator', `${LC}.toolCalculator`, 1);
const orderLookup = () => node('Order lookup', `${LC}.toolCode`, 1.3, ORDER_LOOKUP_PARAMETERS);

const CATEGORIES = [
	{ category: 'billing', description: 'Payments, invoices, refunds' },
	{ category: 'technical', description: 'Errors, crashes, bugs' },
	{ category: 'account', description: 'Passwords, logins, profile' },
];

/**
 * Each case: `build(kind, credentials)` → { nodes, main, ai } with the model named `Model`; `path`
 * is its webhook (the kind is appended). `stream` cases answer as a stream.
 */
export const CASES = {
	chainParser: () => {
		const nodes = [chain({ hasOutputParser: true }), structuredParser()];
		return { nodes, main: [['Webhook', 'Basic LLM Chain']], ai: [['Structured Output Parser', 'Basic LLM Chain', 'ai_outputParser'], ['Model', 'Basic LLM Chain', 'ai_languageModel']] };
	},
	chainAutofixing: () => {
		const fixer = node('Auto-fixing Output Parser', `${LC}.outputParserAutofixing`, 1, { options: {} });
		const nodes = [chain({ hasOutputParser: true }), fixer, structuredParser()];
		return {
			nodes,
			main: [['Webhook', 'Basic LLM Chain']],
			ai: [
				['Auto-fixing Output Parser', 'Basic LLM Chain', 'ai_outputParser'],
				['Structured Output Parser', 'Auto-fixing Output Parser', 'ai_outputParser'],
				['Model', 'Auto-fixing Output Parser', 'ai_languageModel'],
				['Model', 'Basic LLM Chain', 'ai_languageModel'],
			],
		};
	},
	chainParserAutoFix: () => {
		const nodes = [chain({ hasOutputParser: true }), structuredParser({ autoFix: true })];
		return {
			nodes,
			main: [['Webhook', 'Basic LLM Chain']],
			ai: [
				['Structured Output Parser', 'Basic LLM Chain', 'ai_outputParser'],
				['Model', 'Structured Output Parser', 'ai_languageModel'],
				['Model', 'Basic LLM Chain', 'ai_languageModel'],
			],
		};
	},
	agentCalculator: () => ({
		nodes: [agent(), calculator()],
		main: [['Webhook', 'AI Agent']],
		ai: [['Calculator', 'AI Agent', 'ai_tool'], ['Model', 'AI Agent', 'ai_languageModel']],
	}),
	agentCodeTool: () => ({
		nodes: [agent(), orderLookup()],
		main: [['Webhook', 'AI Agent']],
		ai: [['Order lookup', 'AI Agent', 'ai_tool'], ['Model', 'AI Agent', 'ai_languageModel']],
	}),
	agentOutputFormat: () => ({
		nodes: [agent({ hasOutputParser: true }), calculator(), structuredParser()],
		main: [['Webhook', 'AI Agent']],
		ai: [['Calculator', 'AI Agent', 'ai_tool'], ['Structured Output Parser', 'AI Agent', 'ai_outputParser'], ['Model', 'AI Agent', 'ai_languageModel']],
	}),
	agentMemory: () => {
		const memory = node('Simple Memory', `${LC}.memoryBufferWindow`, 1.4, { sessionIdType: 'customKey', sessionKey: '={{ $json.body.session }}' });
		return {
			nodes: [agent(), calculator(), memory],
			main: [['Webhook', 'AI Agent']],
			ai: [['Calculator', 'AI Agent', 'ai_tool'], ['Simple Memory', 'AI Agent', 'ai_memory'], ['Model', 'AI Agent', 'ai_languageModel']],
		};
	},
	agentStreamedTools: () => ({
		stream: true,
		nodes: [agent({}, { enableStreaming: true }), calculator(), orderLookup()],
		main: [['Webhook', 'AI Agent']],
		ai: [['Calculator', 'AI Agent', 'ai_tool'], ['Order lookup', 'AI Agent', 'ai_tool'], ['Model', 'AI Agent', 'ai_languageModel']],
	}),
	...Object.fromEntries(
		[false, true].flatMap((autoFix) => {
			const options = autoFix ? { enableAutoFixing: true } : {};
			const suffix = autoFix ? 'Autofix' : '';
			const routed = (root, outputs) => ({
				nodes: [root, ...outputs.map(branch)],
				main: [['Webhook', root.name], ...outputs.map((name, index) => [root.name, name, index])],
				ai: [['Model', root.name, 'ai_languageModel']],
			});
			return [
				[
					`textClassifier${suffix}`,
					() => routed(node('Text Classifier', `${LC}.textClassifier`, 1.1, { inputText: TEXT, categories: { categories: CATEGORIES }, options }), CATEGORIES.map(({ category }) => category)),
				],
				[
					`sentiment${suffix}`,
					() => routed(node('Sentiment Analysis', `${LC}.sentimentAnalysis`, 1.1, { inputText: TEXT, options }), ['Positive', 'Neutral', 'Negative']),
				],
				[
					`extractor${suffix}`,
					() => ({
						nodes: [
							node('Information Extractor', `${LC}.informationExtractor`, 1.2, {
								text: TEXT,
								schemaType: 'fromAttributes',
								attributes: {
									attributes: [
										{ name: 'city', type: 'string', description: 'The city of the order', required: true },
										{ name: 'items', type: 'number', description: 'How many items were ordered', required: true },
									],
								},
								options,
							}),
						],
						main: [['Webhook', 'Information Extractor']],
						ai: [['Model', 'Information Extractor', 'ai_languageModel']],
					}),
				],
			];
		}),
	),
	summarization: () => {
		const text = node('Text', 'n8n-nodes-base.set', 3.4, {
			assignments: { assignments: [{ id: randomUUID(), name: 'text', value: TEXT, type: 'string' }] },
			options: {},
		});
		const summarizer = node('Summarization Chain', `${LC}.chainSummarization`, 2.1, {
			options: { summarizationMethodAndPrompts: { values: { summarizationMethod: 'stuff' } } },
		});
		return { nodes: [text, summarizer], main: [['Webhook', 'Text'], ['Text', 'Summarization Chain']], ai: [['Model', 'Summarization Chain', 'ai_languageModel']] };
	},
	guardrails: () => {
		const guard = node('Guardrails', `${LC}.guardrails`, 2, { operation: 'classify', text: TEXT, guardrails: { jailbreak: { value: { threshold: 0.7 } } } });
		return {
			nodes: [guard, branch('Pass'), branch('Fail')],
			main: [['Webhook', 'Guardrails'], ['Guardrails', 'Pass', 0], ['Guardrails', 'Fail', 1]],
			ai: [['Model', 'Guardrails', 'ai_languageModel']],
		};
	},
};

/** The matrix's workflows: every case on each model kind, path `<case>-<kind>`. */
export function matrixWorkflows(credentials) {
	const workflows = [];
	let index = 0;
	for (const [name, build] of Object.entries(CASES)) {
		for (const kind of [HUMIRIS, OPENAI]) {
			const spec = build();
			if (spec.stream && kind === OPENAI) continue;
			const path = `${name}-${kind}`;
			const nodes = [webhook(path, spec.stream ? 'streaming' : 'lastNode'), ...spec.nodes, modelNode(kind, credentials)];
			workflows.push({ ...workflow(`aiRootsWf${String(++index).padStart(7, '0')}`, `AI roots: ${path}`, nodes, spec.main, spec.ai), path });
		}
	}
	workflows.push(selectorWorkflow(credentials, ++index), ...fallbackWorkflows(credentials, index + 1));
	return workflows;
}

/** Model Selector under a Basic LLM Chain: `{pick: 'humiris'|'openai'}` in the body chooses. */
function selectorWorkflow(credentials, index) {
	const rule = (pick, modelIndex) => ({
		modelIndex,
		conditions: {
			options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
			conditions: [{ id: randomUUID(), leftValue: '={{ $json.body.pick }}', rightValue: pick, operator: { type: 'string', operation: 'equals' } }],
			combinator: 'and',
		},
	});
	const selector = node('Model Selector', `${LC}.modelSelector`, 1, { numberInputs: 2, rules: { rule: [rule(HUMIRIS, 1), rule(OPENAI, 2)] } });
	const nodes = [webhook('selector'), chain(), selector, modelNode(HUMIRIS, credentials, { name: 'Humiris' }), modelNode(OPENAI, credentials, { name: 'OpenAI' })];
	return {
		...workflow(`aiRootsWf${String(index).padStart(7, '0')}`, 'AI roots: Model Selector', nodes, [['Webhook', 'Basic LLM Chain']], [
			['Model Selector', 'Basic LLM Chain', 'ai_languageModel'],
			['Humiris', 'Model Selector', 'ai_languageModel', 0],
			['OpenAI', 'Model Selector', 'ai_languageModel', 1],
		]),
		path: 'selector',
	};
}

/** The Agent's fallback model: the primary's key is wrong, so the other kind answers. */
function fallbackWorkflows(credentials, firstIndex) {
	return [HUMIRIS, OPENAI].map((primary, offset) => {
		const fallback = primary === HUMIRIS ? OPENAI : HUMIRIS;
		const path = `fallback-${primary}-first`;
		const nodes = [
			webhook(path),
			agent({ needsFallback: true }),
			calculator(),
			modelNode(primary, credentials, { name: 'Primary', bad: true }),
			modelNode(fallback, credentials, { name: 'Fallback' }),
		];
		return {
			...workflow(`aiRootsWf${String(firstIndex + offset).padStart(7, '0')}`, `AI roots: ${path}`, nodes, [['Webhook', 'AI Agent']], [
				['Calculator', 'AI Agent', 'ai_tool'],
				['Primary', 'AI Agent', 'ai_languageModel', 0],
				['Fallback', 'AI Agent', 'ai_languageModel', 1],
			]),
			path,
		};
	});
}
