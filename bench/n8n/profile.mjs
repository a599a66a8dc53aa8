#!/usr/bin/env node
// `npm run bench:n8n:profile`: where one item's time goes in real n8n. One `n8n execute` of a
// workflow that sends BENCH_PROFILE_ITEMS (default 3000) items through Humiris Chat
// (Concurrency 10, the prompt an expression) against the simulator at L = 0, with V8's CPU profiler on the n8n process.
// The samples taken while our node ran are attributed to n8n's parts (below) and printed per
// item; the .cpuprofile (open it in Chrome DevTools) and a JSON summary go to bench/results/.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { stopAll, stopChildrenOnExit } from '../../e2e/lib/proc.mjs';
import {
	N8N_VERSION,
	RESULTS_DIR,
	benchWorkflow,
	executeToFile,
	failWith,
	humirisNode,
	nodeRun,
	prepareBench,
	progress,
	saveJson,
} from './setup.mjs';

const ITEMS = Number(process.env.BENCH_PROFILE_ITEMS ?? 3000);
const CONCURRENCY = 10;
const NODE = 'Humiris Chat';
// Set up as examples/01 is: the prompt an expression over the item, a fixed system message.
// BENCH_PROFILE_PROMPT=item keeps the node's defaults instead (prompt read from the item in
// code, no expression), as `npm run bench:n8n` runs it.
const FROM_ITEM = process.env.BENCH_PROFILE_PROMPT === 'item';
const PARAMETERS = FROM_ITEM
	? {}
	: {
			messageMode: 'prompt',
			promptType: 'define',
			prompt: '={{ $json.prompt }}',
			systemMessage: 'You triage customer support tickets. Answer in one sentence.',
		};
const OURS = '/n8n-nodes-humiris/dist/';

const REQUEST_HELPER = 'request helper (axios, agents, http)';
const isExpressionEngine = ({ url }) =>
	/@n8n[/\\]expression-runtime|isolated-vm|@n8n[/\\]tournament|n8n-workflow[/\\]dist[/\\].*(expression|workflow-data-proxy|extensions)/i.test(url);

/**
 * A sample is first given to whatever called into n8n on its behalf, found anywhere on its
 * stack: the credential (a generic authenticate runs n8n's expression engine), then
 * getNodeParameter (split into the expression engine and the rest). Any other sample goes to
 * the first frame, from the running function outwards, that belongs to one of PARTS: JSON.parse
 * inside axios counts as the request helper, our own code only when it runs itself.
 */
const ON_STACK = [
	['credential: our authenticate', ({ url }) => url.includes(`${OURS}credentials/`)],
	['credential: n8n applies it (authenticate, expressions in it)', ({ url }) => /credentials-helper/.test(url)],
	['node parameters: getNodeParameter', ({ functionName }) => functionName === '_getNodeParameter'],
];
const PARTS = [
	[REQUEST_HELPER, ({ url }) => /[/\\]axios[/\\]|follow-redirects|request-helper-functions|proxy-agent|node:_http|node:http|node:net|node:tls|node:dns|undici/.test(url)],
	['expression engine (elsewhere)', isExpressionEngine],
	['our node', ({ url }) => url.includes(OURS)],
	['execution bookkeeping (n8n-core, n8n)', ({ url }) => /n8n-core[/\\]|[/\\]n8n[/\\]dist[/\\]|n8n-workflow[/\\]/.test(url)],
];

/** Inside the request helper, by what is on the stack, first match wins. */
const REQUEST_PARTS = [
	['new TCP connection per request', ({ url, functionName }) => url === 'node:net' && /connect|Socket|setKeepAlive|setNoDelay/i.test(functionName)],
	['new agent, proxy from env, SSRF guard', ({ url }) => /proxy-from-env|backend-network[/\\]dist[/\\](proxy|ssrf|dns|http[/\\](node-agents|env-proxy))|node:_http_agent/.test(url)],
	['follow-redirects wrapper', ({ url }) => url.includes('follow-redirects')],
	['axios (config, headers, body, transforms)', ({ url }) => /[/\\]axios[/\\]/.test(url)],
	['n8n request set-up (backend-network, n8n-core)', ({ url }) => /backend-network|request-helper|n8n-core/.test(url)],
];

function categorise(profile) {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const stackHas = (id, predicate) => {
		for (let current = id; current !== undefined; current = parent.get(current)) if (predicate(byId.get(current).callFrame)) return true;
		return false;
	};
	const partOf = (id) => {
		const leaf = byId.get(id).callFrame.functionName;
		if (leaf === '(garbage collector)') return 'garbage collection';
		if (leaf === '(idle)') return 'idle (waiting for I/O)';
		if (leaf === '(program)') return 'V8 and native code outside JS';
		for (const [part, test] of ON_STACK) {
			if (!stackHas(id, test)) continue;
			return part.endsWith('getNodeParameter') && stackHas(id, isExpressionEngine) ? 'node parameters: expression engine' : part;
		}
		for (let current = id; current !== undefined; current = parent.get(current)) {
			const frame = byId.get(current).callFrame;
			const part = PARTS.find(([, test]) => test(frame));
			if (part) return part[0];
		}
		return 'other (Node internals, timers, promises)';
	};

	// The node's window: from the first sample in its execute() to the last one with our code
	// on the stack (n8n loads our package at start-up, long before).
	const times = [];
	let at = profile.startTime;
	for (const delta of profile.timeDeltas) times.push((at += delta));
	const first = profile.samples.findIndex((id) => stackHas(id, ({ url, functionName }) => url.includes(OURS) && functionName === 'execute'));
	const last = profile.samples.findLastIndex((id) => stackHas(id, ({ url }) => url.includes(OURS)));
	if (first === -1) throw new Error('the profile holds no sample of our node: did it run?');

	const parts = new Map();
	const requestParts = new Map();
	const selfTime = new Map();
	for (let index = first; index <= last; index++) {
		const id = profile.samples[index];
		const ms = ((times[index + 1] ?? times[index]) - times[index]) / 1000;
		const part = partOf(id);
		parts.set(part, (parts.get(part) ?? 0) + ms);
		if (part === REQUEST_HELPER) {
			const sub = REQUEST_PARTS.find(([, test]) => stackHas(id, test))?.[0] ?? 'Node http client, sockets, streams';
			requestParts.set(sub, (requestParts.get(sub) ?? 0) + ms);
		}
		const { functionName, url, lineNumber } = byId.get(id).callFrame;
		const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules[/\\]/, '').replace(/^file:\/\//, '')}:${lineNumber + 1}`;
		selfTime.set(key, (selfTime.get(key) ?? 0) + ms);
	}
	return { windowMs: (times[last] - times[first]) / 1000, parts, requestParts, selfTime };
}

function newestProfile(dir) {
	const files = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
	// n8n may fork helpers (the task runner) that write their own profiles: ours is the biggest.
	files.sort((a, b) => statSync(path.join(dir, b)).size - statSync(path.join(dir, a)).size);
	if (files.length === 0) throw new Error(`no .cpuprofile was written to ${dir}`);
	return path.join(dir, files[0]);
}

async function main() {
	stopChildrenOnExit();
	progress(`profile: n8n ${N8N_VERSION}, ${ITEMS} items, C=${CONCURRENCY}, L=0`);
	const { simulator, n8n } = await prepareBench({ latencyMs: 0 });
	const profileDir = mkdtempSync(path.join(tmpdir(), 'humiris-cpuprof-'));
	try {
		const workflow = benchWorkflow('humirisBenchProf', `Humiris profile: ${ITEMS} items, L=0`, ITEMS, [humirisNode(NODE, CONCURRENCY, 0, PARAMETERS)]);
		await n8n.importWorkflow(workflow);
		await simulator.reset();
		const result = await executeToFile(n8n, workflow.id, {
			nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=250'],
		});
		if (result.code !== 0 || !result.run) failWith('the profiled workflow failed', result);
		const run = nodeRun(result.run, NODE);
		const answered = run.items.filter((json) => typeof json.content === 'string').length;
		if (answered !== ITEMS) throw new Error(`${answered}/${ITEMS} items answered`);

		const file = newestProfile(profileDir);
		const { windowMs, parts, requestParts, selfTime } = categorise(JSON.parse(readFileSync(file, 'utf8')));
		mkdirSync(RESULTS_DIR, { recursive: true });
		const kept = path.join(RESULTS_DIR, 'n8n-profile.cpuprofile');
		copyFileSync(file, kept);

		const perItem = (ms) => (ms / ITEMS).toFixed(3);
		const busy = [...parts].filter(([part]) => !part.startsWith('idle')).reduce((sum, [, ms]) => sum + ms, 0);
		const rows = [...parts].sort((a, b) => b[1] - a[1]);
		const top = [...selfTime].sort((a, b) => b[1] - a[1]).slice(0, 20);
		const out = [
			`Per-item cost of Humiris Chat in real n8n ${N8N_VERSION} (CPU profile of n8n execute)`,
			`${ITEMS} items, C=${CONCURRENCY}, L=0, prompt ${FROM_ITEM ? 'read from the item (no expression)' : 'the expression {{ $json.prompt }}'}; node executionTime ${run.executionMs} ms = ${perItem(run.executionMs)} ms/item; profiled window ${windowMs.toFixed(0)} ms, on CPU ${busy.toFixed(0)} ms = ${perItem(busy)} ms/item`,
			'',
			'  part                                        ms   ms/item   share of CPU',
			...rows.map(([part, ms]) => `  ${part.padEnd(40)} ${ms.toFixed(0).padStart(6)}  ${perItem(ms).padStart(8)}  ${part.startsWith('idle') ? '     -' : `${((ms / busy) * 100).toFixed(1).padStart(5)} %`}`),
			'',
			'  of which the request helper',
			...[...requestParts]
				.sort((a, b) => b[1] - a[1])
				.map(([part, ms]) => `    ${part.padEnd(48)} ${ms.toFixed(0).padStart(6)}  ${perItem(ms).padStart(8)}`),
			'',
			'  top self time (function, file:line)',
			...top.map(([name, ms]) => `  ${ms.toFixed(0).padStart(6)} ms  ${name}`),
		];
		process.stdout.write(`${out.join('\n')}\n`);
		const saved = saveJson('n8n-profile.json', {
			timestamp: new Date().toISOString(),
			items: ITEMS,
			concurrency: CONCURRENCY,
			prompt: FROM_ITEM ? 'from the item' : '={{ $json.prompt }}',
			executionMs: run.executionMs,
			windowMs,
			cpuMs: busy,
			parts: Object.fromEntries(rows.map(([part, ms]) => [part, { ms, msPerItem: ms / ITEMS }])),
			requestHelper: Object.fromEntries([...requestParts].map(([part, ms]) => [part, { ms, msPerItem: ms / ITEMS }])),
			topSelfTime: top.map(([name, ms]) => ({ name, ms })),
		});
		progress(`summary in ${saved}, profile in ${kept} (open in Chrome DevTools > Performance)`);
	} finally {
		rmSync(profileDir, { recursive: true, force: true });
		await simulator.stop();
		await n8n.dispose();
	}
}

main()
	.catch((error) => {
		process.stderr.write(`bench:n8n:profile failed: ${error.stack ?? error}\n`);
		process.exitCode = 2;
	})
	.finally(() => stopAll());
