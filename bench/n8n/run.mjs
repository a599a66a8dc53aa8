#!/usr/bin/env node
// `npm run bench:n8n`: in a real n8n 2.41.1, side by side with n8n's own OpenAI node (v1.8,
// "Message a model"): Humiris Chat at Concurrency 1, 5, 10 and 20 in one `n8n execute`, against
// the simulator at a latency of 100 ± 50 ms; then the plan-limit scenarios (limits.mjs): a
// webhook burst under `n8n start`, a limit in flight and a plan per minute. Prints the tables,
// writes bench/results/n8n-latest.json, exits 1 when a target is missed and 2 when the
// benchmark itself failed. BENCH_QUICK=1: small sizes, targets shown but not enforced.
import { cpus } from 'node:os';

import { stopAll, stopChildrenOnExit } from '../../e2e/lib/proc.mjs';
import {
	N8N_VERSION,
	OPENAI_NODE_VERSION,
	benchWorkflow,
	executeToFile,
	failWith,
	humirisNode,
	nodeRun,
	openAiNode,
	prepareBench,
	progress,
	saveJson,
} from './setup.mjs';
import { burstScenario, importableCredentials, inFlightScenario, limitCredentials, limitTargets, perMinuteScenario } from './limits.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
const ITEMS = QUICK ? 20 : 100;
/** A real service's latency varies: 100 ms on average, anywhere from 50 to 150. */
const LATENCY_MS = 100;
const LATENCY = { min: 50, max: 150 };
const LIMITS = QUICK
	? { burst: { calls: 16, limit: 4, answerMs: 500 }, inFlight: { items: 40, concurrency: 20, limit: 8, answerMs: 100 }, perMinute: { items: 40, concurrency: 10, perMinute: 600, answerMs: 100 } }
	: { burst: { calls: 40, limit: 8, answerMs: 2000 }, inFlight: { items: 200, concurrency: 20, limit: 8, answerMs: 500 }, perMinute: { items: 200, concurrency: 10, perMinute: 600, answerMs: 100 } };
const CONCURRENCIES = [1, 5, 10, 20];
const OPENAI = 'OpenAI node v1.8 (Message a model)';
const WARM_UP = 'Warm-up (not measured)';
const humirisName = (concurrency) => `Humiris Chat, Concurrency ${concurrency}`;

/** Most requests open at once among those that arrived while the node ran (same clock on both sides). */
function peakInFlight(requests) {
	const events = requests.flatMap(({ receivedAt, closedAt }) => [
		[receivedAt, 1],
		[closedAt ?? Number.POSITIVE_INFINITY, -1],
	]);
	events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let current = 0;
	let peak = 0;
	for (const [, delta] of events) {
		current += delta;
		peak = Math.max(peak, current);
	}
	return peak;
}

function row(name, concurrency, run, requests) {
	const window = requests.filter(({ receivedAt }) => receivedAt >= run.startTime - 1 && receivedAt <= run.startTime + run.executionMs + 1);
	const idealMs = Math.ceil(ITEMS / concurrency) * LATENCY_MS;
	return {
		node: name,
		concurrency,
		items: ITEMS,
		latencyMs: LATENCY,
		idealMs,
		nodeMs: run.executionMs,
		startedAt: new Date(run.startTime).toISOString(),
		efficiency: idealMs / run.executionMs,
		requests: window.length,
		peakInFlight: peakInFlight(window),
		authenticatedWith: [...new Set(window.map(({ headers }) => (headers.authorization ? 'Authorization: Bearer' : headers.apikey ? 'apikey' : 'none')))].join(', '),
		answered: run.items.filter((json) => typeof (json.content ?? json.message?.content) === 'string').length,
	};
}

function table(headers, rows) {
	const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((cells) => cells[column].length)));
	const line = (cells) =>
		`  ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')}`.trimEnd();
	return [line(headers), ...rows.map(line)].join('\n');
}

function targets(rows) {
	const openAi = rows.find(({ concurrency, node }) => node === OPENAI && concurrency === 1);
	const at = (concurrency) => rows.find((candidate) => candidate.node === humirisName(concurrency));
	const ten = at(10);
	const twenty = at(20);
	const complete = rows.every((candidate) => candidate.answered === ITEMS && candidate.requests === ITEMS);
	return [
		{ name: 'speed-up over the OpenAI node at C=10', value: `${(openAi.nodeMs / ten.nodeMs).toFixed(2)}x`, target: '>= 9x', pass: openAi.nodeMs / ten.nodeMs >= 9 },
		{ name: 'efficiency at C=10', value: ten.efficiency.toFixed(3), target: '>= 0.90', pass: ten.efficiency >= 0.9 },
		{ name: 'efficiency at C=20', value: twenty.efficiency.toFixed(3), target: '>= 0.80', pass: twenty.efficiency >= 0.8 },
		{ name: 'every item answered, one request each', value: complete ? 'yes' : 'NO', target: 'yes', pass: complete },
		{
			name: 'peak in flight = Concurrency',
			value: CONCURRENCIES.map((concurrency) => at(concurrency).peakInFlight).join('/'),
			target: CONCURRENCIES.join('/'),
			pass: CONCURRENCIES.every((concurrency) => at(concurrency).peakInFlight === concurrency),
		},
	];
}

async function main() {
	stopChildrenOnExit();
	const started = Date.now();
	progress(`n8n ${N8N_VERSION} (cache), the packed package, the simulator at L=${LATENCY.min}..${LATENCY.max} ms`);
	const { simulator, n8n } = await prepareBench({ latencyMs: LATENCY_MS });
	const credentials = limitCredentials(simulator);
	const limitVariants = [
		credentials.unset,
		credentials.maxConcurrent(LIMITS.burst.limit),
		credentials.maxConcurrent(LIMITS.inFlight.limit),
		credentials.requestsPerMinute(LIMITS.perMinute.perMinute),
	];
	await n8n.importCredentials(importableCredentials([...new Map(limitVariants.map((credential) => [credential.id, credential])).values()]));
	try {
		// The warm-up runs first (top of the canvas) so the measured nodes all meet a JIT-warm n8n.
		const nodes = [
			humirisNode(WARM_UP, 20, -200),
			openAiNode(OPENAI, 0),
			...CONCURRENCIES.map((concurrency, index) => humirisNode(humirisName(concurrency), concurrency, 200 * (index + 1))),
		];
		const workflow = benchWorkflow('humirisBenchN8n1', `Humiris bench: ${ITEMS} items, L=${LATENCY_MS} ms`, ITEMS, nodes);
		await n8n.importWorkflow(workflow);
		await simulator.reset();
		await simulator.configure({ latency: LATENCY });
		progress(`n8n execute: ${ITEMS} items through the OpenAI node and Humiris Chat at C=${CONCURRENCIES.join('/')} (about ${Math.round((ITEMS * LATENCY_MS * 2.3) / 1000 + 12)} s)`);
		const result = await executeToFile(n8n, workflow.id);
		if (result.code !== 0 || !result.run) failWith('the benchmark workflow failed', result);
		const requests = (await simulator.requests()).filter(({ method }) => method === 'POST');

		const rows = [
			row(OPENAI, 1, nodeRun(result.run, OPENAI), requests),
			...CONCURRENCIES.map((concurrency) => row(humirisName(concurrency), concurrency, nodeRun(result.run, humirisName(concurrency)), requests)),
		];
		const openAiMs = rows[0].nodeMs;
		for (const entry of rows) entry.speedupOverOpenAi = openAiMs / entry.nodeMs;
		const scenarios = {
			burst: await burstScenario({ n8n, simulator, credentials, ...LIMITS.burst }),
			inFlight: await inFlightScenario({ n8n, simulator, credentials, ...LIMITS.inFlight }),
			perMinute: await perMinuteScenario({ n8n, simulator, credentials, ...LIMITS.perMinute }),
		};
		const checks = [...targets(rows), ...limitTargets(scenarios)];
		const pass = checks.every((check) => check.pass);
		const results = {
			timestamp: new Date().toISOString(),
			quick: QUICK,
			machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', n8n: N8N_VERSION, node: n8n.install.nodeBin },
			config: { items: ITEMS, latencyMs: LATENCY, concurrencies: CONCURRENCIES, openAiNodeVersion: OPENAI_NODE_VERSION, limits: LIMITS },
			method: {
				run: 'one `n8n execute` of one workflow: a Code node emits the items, every node under test hangs off it (a warm-up Humiris Chat first); nodes run one after another',
				time: "each node's executionTime from the run data (n8n's clock around the node's execute())",
				peakInFlight: 'from the simulator log: requests received while the node ran, most open at once',
				package: 'npm pack of this repository, installed the way Settings > Community Nodes does',
				limits:
					'the simulator answers 429 at once, before any latency, over its limit; burst: one `n8n start`, the calls fired together, time from the first call sent to the last answer; in-flight and per-minute: one `n8n execute` per node, time = its executionTime; requests and 429s from the simulator log',
			},
			rows,
			scenarios,
			targets: checks,
			enforced: !QUICK,
			pass,
			totalMs: Date.now() - started,
		};

		const out = [
			`Humiris Chat in real n8n ${N8N_VERSION}${QUICK ? ' (BENCH_QUICK: 20 items, targets not enforced; a smoke check only)' : ''}`,
			`${results.timestamp}  ${results.machine.cpus} x ${results.machine.cpuModel}`,
			`N=${ITEMS} items, simulator latency ${LATENCY.min}..${LATENCY.max} ms (mean L=${LATENCY_MS}), one n8n execute; node time = n8n's executionTime; ideal = ceil(N/C) * L`,
			'',
			table(
				['node', 'node time', 'ideal', 'efficiency', 'vs OpenAI node', 'peak in flight'],
				rows.map((entry) => [
					entry.node,
					`${(entry.nodeMs / 1000).toFixed(2)} s`,
					`${(entry.idealMs / 1000).toFixed(1)} s`,
					entry.efficiency.toFixed(3),
					`${entry.speedupOverOpenAi.toFixed(2)}x`,
					String(entry.peakInFlight),
				]),
			),
			...Object.values(scenarios).flatMap((scenario) => [
				'',
				`${scenario.name}: ${scenario.description}; ideal ${(scenario.idealMs / 1000).toFixed(1)} s`,
				table(
					['node', 'answered', 'failed', 'time', 'vs ideal', 'requests', '429s'],
					scenario.rows.map((entry) => [
						entry.node,
						String(entry.answered),
						String(entry.failed),
						`${(entry.timeMs / 1000).toFixed(2)} s`,
						`${(entry.timeMs / scenario.idealMs).toFixed(2)}x`,
						String(entry.requests),
						String(entry.rateLimited),
					]),
				),
			]),
			'',
			'Targets',
			table(['', 'measured', 'target', ''], checks.map((check) => [check.name, check.value, check.target, check.pass ? 'PASS' : 'FAIL'])),
			'',
			`Total run time ${Math.round(results.totalMs / 1000)} s; overall ${pass ? 'PASS' : QUICK ? 'FAIL (not enforced in BENCH_QUICK)' : 'FAIL'}`,
		];
		process.stdout.write(`${out.join('\n')}\n`);
		progress(`results written to ${saveJson(QUICK ? 'n8n-quick.json' : 'n8n-latest.json', results)}`);
		return pass || QUICK;
	} finally {
		await simulator.stop();
		await n8n.dispose();
	}
}

main().then(
	(pass) => {
		process.exitCode = pass ? 0 : 1;
	},
	(error) => {
		process.stderr.write(`bench:n8n failed: ${error.stack ?? error}\n`);
		process.exitCode = 2;
	},
).finally(() => stopAll());
