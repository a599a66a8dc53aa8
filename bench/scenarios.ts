import type { IDataObject } from 'n8n-workflow';

import type { RandomFaultPlan } from '../test/simulator';
import { runHelperLoop } from './helper-loop';
import type { ImageMemoryConfig } from './images';
import { forceGc, measurePeak } from './memory';
import { GenericAuthHumirisApi, promptItems, runNode, ticketOf, type NodeRun } from './node-run';
import { rawLoop, replayableHeaders } from './raw-loop';
import type { RemoteSimulator } from './simulator-client';

export interface BenchConfig {
	quick: boolean;
	efficiency: { items: number; latencyMs: number; concurrencies: number[] };
	overhead: { items: number; warmupItems: number; concurrency: number; repeats: number };
	fault: { items: number; concurrency: number; maxRetries: number; latencyMs: number; plan: RandomFaultPlan };
	memory: { items: number; concurrency: number };
	authenticate: { items: number; concurrency: number; repeats: number };
	images: ImageMemoryConfig;
}

const FAULT_PLAN: RandomFaultPlan = {
	rate: 0.2,
	kinds: ['429', '500', '502', '503', 'drop'],
	retryAfterS: 1,
	seed: 20240601,
};

export function benchConfig(quick: boolean): BenchConfig {
	return {
		quick,
		efficiency: { items: quick ? 100 : 500, latencyMs: 100, concurrencies: [1, 5, 10, 20] },
		overhead: { items: quick ? 300 : 2000, warmupItems: quick ? 100 : 500, concurrency: 10, repeats: quick ? 1 : 3 },
		fault: { items: quick ? 100 : 1000, concurrency: 10, maxRetries: 8, latencyMs: 20, plan: FAULT_PLAN },
		memory: { items: quick ? 1000 : 10_000, concurrency: 10 },
		authenticate: { items: quick ? 300 : 2000, concurrency: 10, repeats: quick ? 1 : 3 },
		images: { items: quick ? 20 : 100, concurrency: 5, imageBytes: (quick ? 1 : 5) * 1024 * 1024, latencyMs: 200 },
	};
}

/** Every item must come back answered: a benchmark of failed requests would measure nothing. */
function expectAllAnswered(run: NodeRun, items: number, what: string): void {
	const output = run.result.items[0] ?? [];
	const answered = output.filter(({ json }) => typeof json.content === 'string').length;
	if (run.result.status !== 'success' || answered !== items) {
		const firstError = output.find(({ json }) => json.error !== undefined)?.json.error;
		throw new Error(
			`${what}: ${answered}/${items} items answered (status ${run.result.status}${firstError ? `, first error ${JSON.stringify(firstError)}` : ''})`,
		);
	}
}

/** Loads and JIT-warms n8n's engine, the expression isolate, the node and the HTTP stack. */
export async function warmUp(simulator: RemoteSimulator, items: number): Promise<void> {
	await simulator.prepare({ latencyMs: 0 });
	expectAllAnswered(await runNode(simulator, promptItems(items), { concurrency: 10 }), items, 'warm-up');
}

export interface EfficiencyRow {
	concurrency: number;
	items: number;
	latencyMs: number;
	idealMs: number;
	nodeMs: number;
	wallMs: number;
	efficiency: number;
	peakInFlight: number;
	/** The same requests replayed with plain fetch at the same concurrency: what this machine allows. */
	rawMs?: number;
	rawEfficiency?: number;
}

interface Replay {
	url: string;
	headers: Record<string, string>;
	bodies: IDataObject[];
}

/** The requests the simulator logged since its last reset, ready for the raw loop to send again. */
async function loggedRequests(simulator: RemoteSimulator): Promise<Replay> {
	const log = await simulator.requests();
	return {
		url: `${simulator.url}/chat/completions`,
		headers: replayableHeaders(log[0].headers),
		bodies: log.map(({ body }) => body as IDataObject),
	};
}

async function replay({ url, headers, bodies }: Replay, concurrency: number): Promise<number> {
	return (await rawLoop(url, headers, bodies, concurrency)).ms;
}

/** C=1 gets no raw reference: it would add another N x L to a run that already takes that long. */
export async function measureEfficiency(
	simulator: RemoteSimulator,
	{ items, latencyMs, concurrencies }: BenchConfig['efficiency'],
): Promise<EfficiencyRow[]> {
	const rows: EfficiencyRow[] = [];
	for (const concurrency of concurrencies) {
		await simulator.prepare({ latencyMs });
		forceGc();
		const run = await runNode(simulator, promptItems(items), { concurrency });
		expectAllAnswered(run, items, `efficiency run at concurrency ${concurrency}`);
		const { peakInFlight } = await simulator.stats();
		const idealMs = Math.ceil(items / concurrency) * latencyMs;
		const row: EfficiencyRow = {
			concurrency,
			items,
			latencyMs,
			idealMs,
			nodeMs: run.executionMs,
			wallMs: run.wallMs,
			efficiency: idealMs / run.executionMs,
			peakInFlight,
		};
		if (concurrency > 1) {
			const requests = await loggedRequests(simulator);
			await simulator.prepare({ latencyMs });
			forceGc();
			row.rawMs = await replay(requests, concurrency);
			row.rawEfficiency = idealMs / row.rawMs;
		}
		rows.push(row);
	}
	return rows;
}

export interface OverheadResult {
	items: number;
	concurrency: number;
	repeats: number;
	nodeMsPerItem: number;
	rawMsPerItem: number;
	/** The node against plain fetch: n8n's request helper's share and the node's together. */
	ratio: number;
	helperMsPerItem: number;
	/** The node against n8n's request helper alone: what the node itself adds. */
	helperRatio: number;
	nodeRunsMs: number[];
	rawRunsMs: number[];
	helperRunsMs: number[];
}

/**
 * Node, raw loop and helper loop take turns, each after a warm-up of its own, and each
 * side's fastest run is compared: other processes and GC pauses only ever add time, so the
 * best run is the closest to what each side costs by itself. The raw loop replays the exact
 * bodies and headers the simulator received from the node; the helper loop, the bodies.
 */
export async function measureOverhead(
	simulator: RemoteSimulator,
	{ items, warmupItems, concurrency, repeats }: BenchConfig['overhead'],
): Promise<OverheadResult> {
	await simulator.prepare({ latencyMs: 0 });
	expectAllAnswered(await runNode(simulator, promptItems(warmupItems), { concurrency }), warmupItems, 'overhead warm-up');
	const warmupRequests = await loggedRequests(simulator);
	await replay(warmupRequests, concurrency);
	await runHelperLoop(simulator, warmupRequests.bodies, concurrency);

	let requests: Replay | undefined;
	const nodeRunsMs: number[] = [];
	const rawRunsMs: number[] = [];
	const helperRunsMs: number[] = [];
	for (let repeat = 0; repeat < repeats; repeat++) {
		await simulator.prepare({ latencyMs: 0 });
		forceGc();
		const run = await runNode(simulator, promptItems(items), { concurrency });
		expectAllAnswered(run, items, 'overhead run');
		nodeRunsMs.push(run.executionMs);
		requests ??= await loggedRequests(simulator);

		await simulator.prepare({ latencyMs: 0 });
		forceGc();
		rawRunsMs.push(await replay(requests, concurrency));

		await simulator.prepare({ latencyMs: 0 });
		forceGc();
		helperRunsMs.push(await runHelperLoop(simulator, requests.bodies, concurrency));
	}
	const nodeMsPerItem = Math.min(...nodeRunsMs) / items;
	const rawMsPerItem = Math.min(...rawRunsMs) / items;
	const helperMsPerItem = Math.min(...helperRunsMs) / items;
	return {
		items,
		concurrency,
		repeats,
		nodeMsPerItem,
		rawMsPerItem,
		ratio: nodeMsPerItem / rawMsPerItem,
		helperMsPerItem,
		helperRatio: nodeMsPerItem / helperMsPerItem,
		nodeRunsMs,
		rawRunsMs,
		helperRunsMs,
	};
}

export interface FaultResult {
	items: number;
	concurrency: number;
	maxRetries: number;
	latencyMs: number;
	plan: RandomFaultPlan;
	received: number;
	inOrder: boolean;
	lost: number;
	duplicated: number;
	errorItems: number;
	attempts: number;
	faultsByKind: Record<string, number>;
	nodeMs: number;
	wallMs: number;
}

/** Every answer is matched to its item by the ticket number its prompt carries. */
export async function measureFaults(
	simulator: RemoteSimulator,
	{ items, concurrency, maxRetries, latencyMs, plan }: BenchConfig['fault'],
): Promise<FaultResult> {
	await simulator.prepare({ latencyMs, faults: plan });
	forceGc();
	const run = await runNode(simulator, promptItems(items), { concurrency, maxRetries, retryUnconfirmed: true });
	const output = run.result.items[0] ?? [];
	const tickets = output.map(({ json }) => ticketOf(json));
	const seen = new Map<number, number>();
	for (const ticket of tickets) {
		if (ticket !== undefined) seen.set(ticket, (seen.get(ticket) ?? 0) + 1);
	}
	let lost = 0;
	for (let index = 0; index < items; index++) if (!seen.has(index)) lost++;
	const duplicated = [...seen.values()].reduce((sum, count) => sum + count - 1, 0);

	const completions = (await simulator.requests()).filter(({ method }) => method === 'POST');
	const faultsByKind: Record<string, number> = {};
	for (const { fault } of completions) if (fault) faultsByKind[fault] = (faultsByKind[fault] ?? 0) + 1;

	return {
		items,
		concurrency,
		maxRetries,
		latencyMs,
		plan,
		received: tickets.filter((ticket) => ticket !== undefined).length,
		inOrder: output.length === items && tickets.every((ticket, index) => ticket === index),
		lost,
		duplicated,
		errorItems: output.filter(({ json }) => json.error !== undefined).length,
		attempts: completions.length,
		faultsByKind,
		nodeMs: run.executionMs,
		wallMs: run.wallMs,
	};
}

export interface MemoryResult {
	items: number;
	concurrency: number;
	rssBytesPerItem: number;
	heapUsedBytesPerItem: number;
	retainedHeapBytesPerItem?: number;
	peakRssDeltaBytes: number;
	peakHeapUsedDeltaBytes: number;
	samples: number;
	gcForced: boolean;
	nodeMs: number;
}

/** The input items exist before the baseline: they are the workflow's data, not the node's cost. */
export async function measureMemory(
	simulator: RemoteSimulator,
	{ items, concurrency }: BenchConfig['memory'],
): Promise<MemoryResult> {
	await simulator.prepare({ latencyMs: 0 });
	const input = promptItems(items);
	const { value: run, peak } = await measurePeak(() => runNode(simulator, input, { concurrency }));
	expectAllAnswered(run, items, 'memory run');
	return {
		items,
		concurrency,
		rssBytesPerItem: peak.rssBytes / items,
		heapUsedBytesPerItem: peak.heapUsedBytes / items,
		retainedHeapBytesPerItem: peak.retainedHeapBytes === undefined ? undefined : peak.retainedHeapBytes / items,
		peakRssDeltaBytes: peak.rssBytes,
		peakHeapUsedDeltaBytes: peak.heapUsedBytes,
		samples: peak.samples,
		gcForced: peak.gcForced,
		nodeMs: run.executionMs,
	};
}

export interface AuthenticateAb {
	items: number;
	concurrency: number;
	repeats: number;
	/** Best run's node time per item at L=0: the credential's function authenticate (as shipped). */
	functionMsPerItem: number;
	/** The same with generic `={{$credentials.x}}` headers, resolved by n8n's expression engine. */
	genericMsPerItem: number;
	functionRunsMs: number[];
	genericRunsMs: number[];
}

/** The credential's authenticate as shipped against the generic form, alternating, best of each. */
export async function measureAuthenticate(
	simulator: RemoteSimulator,
	{ items, concurrency, repeats }: BenchConfig['authenticate'],
): Promise<AuthenticateAb> {
	const functionRunsMs: number[] = [];
	const genericRunsMs: number[] = [];
	await simulator.prepare({ latencyMs: 0 });
	expectAllAnswered(await runNode(simulator, promptItems(items), { concurrency }, GenericAuthHumirisApi), items, 'generic authenticate warm-up');
	for (let repeat = 0; repeat < repeats; repeat++) {
		for (const [runs, credentialType] of [
			[functionRunsMs, undefined],
			[genericRunsMs, GenericAuthHumirisApi],
		] as const) {
			await simulator.prepare({ latencyMs: 0 });
			forceGc();
			const run = await runNode(simulator, promptItems(items), { concurrency }, credentialType);
			expectAllAnswered(run, items, 'authenticate A/B run');
			runs.push(run.executionMs);
		}
	}
	return {
		items,
		concurrency,
		repeats,
		functionMsPerItem: Math.min(...functionRunsMs) / items,
		genericMsPerItem: Math.min(...genericRunsMs) / items,
		functionRunsMs,
		genericRunsMs,
	};
}
