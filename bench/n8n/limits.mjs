// The plan-limit scenarios of `npm run bench:n8n`: the simulator enforces a limit of requests in
// flight or per minute (429 at once, before any latency), and each scenario runs n8n's OpenAI
// node and Humiris Chat with the credential's limits unset and set, one after the other.
import { burstWorkflow, fireBurst, humirisBurstNode, untilRegistered } from '../../e2e/lib/burst.mjs';
import { humirisCredential } from '../../e2e/lib/harness.mjs';
import { freePort } from '../../e2e/lib/http.mjs';
import { benchWorkflow, executeToFile, failWith, humirisNode, nodeRun, openAiNode, progress } from './setup.mjs';

export const OPENAI_ROW = 'OpenAI node v1.8';
const UNSET = 'Humiris Chat, credential limits unset';
const limitRow = (field, value) => `Humiris Chat, ${field} ${value}`;

/** One more Humiris credential per setting, on the simulator's key: each its own governor. */
export function limitCredentials(simulator) {
	const base = { apiKey: simulator.apiKey, mixTuningId: simulator.mixTuningId, baseUrl: simulator.url };
	return {
		unset: { id: 'humirisLimitsOff', name: 'Humiris (limits unset)', ...base },
		maxConcurrent: (value) => ({ id: `humirisMaxConc${String(value).padStart(2, '0')}`, name: `Humiris (maxConcurrent ${value})`, ...base, maxConcurrent: value }),
		requestsPerMinute: (value) => ({ id: `humirisRpm${String(value).padStart(7, '0')}`, name: `Humiris (requestsPerMinute ${value})`, ...base, requestsPerMinute: value }),
	};
}

export function importableCredentials(credentials) {
	return credentials.map((credential) => humirisCredential(credential));
}

function counts(requests) {
	const completions = requests.filter(({ method, path }) => method === 'POST' && path.endsWith('/chat/completions'));
	return { requests: completions.length, rateLimited: completions.filter(({ status }) => status === 429).length };
}

const openAiBurstNode = () => {
	const node = openAiNode('unused', 0);
	node.parameters.messages = { values: [{ content: '={{ $json.body.question }}' }] };
	return { type: node.type, typeVersion: node.typeVersion, parameters: node.parameters, credentials: node.credentials };
};

/**
 * `calls` webhook executions at once, one item each, through a limit of `limit` in flight at
 * `answerMs` per answer (429 with Retry-After: 1 over the limit), under one `n8n start`.
 */
export async function burstScenario({ n8n, simulator, credentials, calls, limit, answerMs }) {
	const nodes = [
		{ row: OPENAI_ROW, node: openAiBurstNode() },
		{ row: UNSET, node: humirisBurstNode(credentials.unset) },
		{ row: limitRow('maxConcurrent', limit), node: humirisBurstNode(credentials.maxConcurrent(limit)) },
	];
	const workflows = nodes.map(({ row, node }, index) =>
		burstWorkflow({ id: `humirisBenchBurst${index}`, name: `bench burst: ${row}`, path: `bench-burst-${index}`, node }),
	);
	await n8n.importWorkflow(workflows);
	for (const workflow of workflows) await n8n.activate(workflow.id);
	const baseUrl = await n8n.start({ port: await freePort() });
	const idealMs = Math.ceil(calls / limit) * answerMs;
	const rows = [];
	try {
		for (const [index, { row }] of nodes.entries()) {
			const url = `${baseUrl}/webhook/${workflows[index].nodes[0].parameters.path}`;
			await simulator.reset();
			await untilRegistered(url);
			await simulator.reset();
			await simulator.configure({ latencyMs: answerMs, limits: { maxInFlight: limit, retryAfterS: 1 } });
			progress(`burst: ${calls} webhook calls at once, ${row}`);
			const { calls: answers, wallMs } = await fireBurst(url, calls);
			for (const answer of answers) n8n.assertNoSecret(answer.text, 'a webhook answer');
			const answered = answers.filter(({ status, answer }) => status === 200 && typeof answer === 'string').length;
			rows.push({ node: row, calls, limit, answerMs, idealMs, answered, failed: calls - answered, timeMs: wallMs, ...counts(await simulator.requests()) });
		}
	} finally {
		await n8n.stop();
		await simulator.configure({ latencyMs: 0, limits: null });
	}
	return { name: 'burst', description: `${calls} webhook executions at once (one item each), limit ${limit} in flight, ${answerMs / 1000} s per answer, 429 with Retry-After: 1 over it`, idealMs, rows };
}

/** One `n8n execute` per node: `items` items through one node, the simulator reset and limited before each. */
async function itemsScenario({ n8n, simulator, name, description, items, idealMs, simulatorConfig, nodes }) {
	const rows = [];
	for (const [index, { row, node }] of nodes.entries()) {
		const id = `hbench${index}${name.replace(/\W/g, '')}`.padEnd(16, '0').slice(0, 16);
		const workflow = benchWorkflow(id, `bench ${name}: ${row}`, items, [node]);
		await n8n.importWorkflow(workflow);
		await simulator.reset();
		await simulator.configure(simulatorConfig);
		progress(`${name}: ${items} items, ${row}`);
		const result = await executeToFile(n8n, workflow.id);
		if (result.code !== 0 || !result.run) failWith(`the ${name} workflow for ${row} failed`, result);
		const run = nodeRun(result.run, node.name);
		const answered = run.items.filter((json) => typeof (json.content ?? json.message?.content) === 'string').length;
		rows.push({ node: row, items, idealMs, answered, failed: items - answered, timeMs: run.executionMs, ...counts(await simulator.requests()) });
	}
	await simulator.configure({ latencyMs: 0, limits: null });
	return { name, description, idealMs, rows };
}

const continueOnFail = (node) => ({ ...node, onError: 'continueRegularOutput' });

export async function inFlightScenario({ n8n, simulator, credentials, items, concurrency, limit, answerMs }) {
	const node = (row, credential) =>
		continueOnFail({ ...humirisNode(row, concurrency, 0), credentials: { humirisApi: { id: credential.id, name: credential.name } } });
	return await itemsScenario({
		n8n,
		simulator,
		name: 'in-flight',
		description: `one execution, ${items} items, Concurrency ${concurrency}, limit ${limit} in flight, ${answerMs / 1000} s per answer`,
		items,
		idealMs: Math.ceil(items / limit) * answerMs,
		simulatorConfig: { latencyMs: answerMs, limits: { maxInFlight: limit, retryAfterS: 1 } },
		nodes: [
			{ row: OPENAI_ROW, node: continueOnFail(openAiNode(OPENAI_ROW, 0)) },
			{ row: UNSET, node: node(UNSET, credentials.unset) },
			{ row: limitRow('maxConcurrent', limit), node: node(limitRow('maxConcurrent', limit), credentials.maxConcurrent(limit)) },
		],
	});
}

export async function perMinuteScenario({ n8n, simulator, credentials, items, concurrency, perMinute, answerMs }) {
	const node = (row, credential) =>
		continueOnFail({ ...humirisNode(row, concurrency, 0), credentials: { humirisApi: { id: credential.id, name: credential.name } } });
	return await itemsScenario({
		n8n,
		simulator,
		name: 'per-minute',
		description: `one execution, ${items} items, Concurrency ${concurrency}, a plan of ${perMinute} requests per minute, ${answerMs} ms per answer`,
		items,
		idealMs: (items / perMinute) * 60_000,
		simulatorConfig: { latencyMs: answerMs, limits: { requestsPerMinute: perMinute } },
		nodes: [
			{ row: OPENAI_ROW, node: continueOnFail(openAiNode(OPENAI_ROW, 0)) },
			{ row: UNSET, node: node(UNSET, credentials.unset) },
			{ row: limitRow('requestsPerMinute', perMinute), node: node(limitRow('requestsPerMinute', perMinute), credentials.requestsPerMinute(perMinute)) },
		],
	});
}

const row = (scenario, name) => scenario.rows.find((candidate) => candidate.node.startsWith(name));

/** The targets for each scenario; the OpenAI node's rows are printed, never judged. */
export function limitTargets({ burst, inFlight, perMinute }) {
	const check = (scenario, rowName, what, value, target, pass) => ({ name: `${scenario.name}, ${rowName.replace('Humiris Chat, ', '')}: ${what}`, value, target, pass });
	const within = (scenario, entry, factor) => [
		`${(entry.timeMs / scenario.idealMs).toFixed(2)}x ideal (${(entry.timeMs / 1000).toFixed(1)} s)`,
		`<= ${factor}x`,
		entry.timeMs <= scenario.idealMs * factor,
	];
	const targets = [];
	const add = (scenario, prefix, rules) => {
		const entry = row(scenario, prefix);
		for (const [what, [value, target, pass]] of Object.entries(rules(entry))) targets.push(check(scenario, entry.node, what, value, target, pass));
	};
	add(burst, UNSET, (entry) => ({
		answered: [`${entry.answered}/${entry.calls}`, 'all', entry.answered === entry.calls],
		time: within(burst, entry, 1.4),
		'429s': [String(entry.rateLimited), '<= 16', entry.rateLimited <= 16],
	}));
	add(burst, 'Humiris Chat, maxConcurrent', (entry) => ({
		answered: [`${entry.answered}/${entry.calls}`, 'all', entry.answered === entry.calls],
		time: within(burst, entry, 1.15),
		'429s': [String(entry.rateLimited), '0', entry.rateLimited === 0],
	}));
	add(inFlight, UNSET, (entry) => ({
		failed: [String(entry.failed), '0', entry.failed === 0],
		time: within(inFlight, entry, 1.25),
		'429s': [String(entry.rateLimited), '<= 20', entry.rateLimited <= 20],
	}));
	add(inFlight, 'Humiris Chat, maxConcurrent', (entry) => ({
		failed: [String(entry.failed), '0', entry.failed === 0],
		time: within(inFlight, entry, 1.1),
		'429s': [String(entry.rateLimited), '0', entry.rateLimited === 0],
	}));
	add(perMinute, 'Humiris Chat, requestsPerMinute', (entry) => ({
		failed: [String(entry.failed), '0', entry.failed === 0],
		time: within(perMinute, entry, 1.15),
		'429s': [String(entry.rateLimited), '0', entry.rateLimited === 0],
	}));
	add(perMinute, UNSET, (entry) => ({ failed: [String(entry.failed), '0', entry.failed === 0] }));
	return targets;
}
