/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark code that runs in plain Node, never shipped */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

import { formatCost, type CostResult } from './cost';
import type { ImageMemoryResult } from './images';
import type { AuthenticateAb, BenchConfig, EfficiencyRow, FaultResult, MemoryResult, OverheadResult } from './scenarios';

const ms = (value: number) => value.toFixed(0);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export interface Target {
	name: string;
	value: string;
	target: string;
	pass: boolean;
}

export interface BenchResults {
	timestamp: string;
	machine: { cpus: number; cpuModel: string; totalMemoryBytes: number; node: string; platform: string; arch: string };
	quick: boolean;
	config: BenchConfig;
	/** How each number was taken, so runs with different methods are not compared by mistake. */
	method: Record<string, string>;
	efficiency: EfficiencyRow[];
	speedupC10overC1?: number;
	overhead: OverheadResult;
	fault: FaultResult;
	memory: MemoryResult;
	authenticate: AuthenticateAb;
	cost: CostResult;
	images: ImageMemoryResult;
	targets: Target[];
	/** BENCH_QUICK runs show the targets but do not fail on them: their sizes are too small to judge. */
	enforced: boolean;
	pass: boolean;
	totalMs: number;
}

export function machineInfo(): BenchResults['machine'] {
	const list = cpus();
	return {
		cpus: list.length,
		cpuModel: list[0]?.model ?? 'unknown',
		totalMemoryBytes: totalmem(),
		node: process.version,
		platform: process.platform,
		arch: process.arch,
	};
}

export function speedup(rows: EfficiencyRow[], from: number, to: number): number | undefined {
	const slow = rows.find(({ concurrency }) => concurrency === from);
	const fast = rows.find(({ concurrency }) => concurrency === to);
	return slow && fast ? slow.nodeMs / fast.nodeMs : undefined;
}

const MAX_RETAINED_BYTES_PER_ITEM = 2048;
/** The node may add at most 30 % to what n8n's request helper costs per request by itself. */
const MAX_HELPER_RATIO = 1.3;

export function evaluateTargets(
	overhead: OverheadResult,
	fault: FaultResult,
	memory: MemoryResult,
): Target[] {
	const faultClean =
		fault.received === fault.items && fault.inOrder && fault.lost === 0 && fault.duplicated === 0;
	const retained = memory.retainedHeapBytesPerItem;
	// Efficiency at a fixed latency is printed, not judged: n8n's request helper sets its floor
	// (bench/README.md, the profile). The throughput target is bench:n8n's, at a varying latency.
	// Overhead is judged against that helper alone: against plain fetch the ratio moves with
	// fetch's own speed from one idle run to the next (bench/README.md).
	return [
		{
			name: "per-item overhead vs n8n's request helper alone",
			value: `${overhead.helperRatio.toFixed(2)}x`,
			target: `<= ${MAX_HELPER_RATIO}x`,
			pass: overhead.helperRatio <= MAX_HELPER_RATIO,
		},
		{
			name: 'retained memory per item',
			value: retained === undefined ? 'not measured (no --expose-gc)' : `${retained.toFixed(0)} B`,
			target: `<= ${MAX_RETAINED_BYTES_PER_ITEM} B`,
			pass: retained !== undefined && retained <= MAX_RETAINED_BYTES_PER_ITEM,
		},
		{
			name: 'fault run',
			value: `${fault.received}/${fault.items}, ${fault.inOrder ? 'in order' : 'OUT OF ORDER'}, ${fault.lost} lost, ${fault.duplicated} duplicated`,
			target: 'all, in order, 0 lost, 0 duplicated',
			pass: faultClean,
		},
	];
}

/**
 * Each image in flight is held as its bytes, their base64 text, the JSON body and the request
 * helper's copy of it, with garbage not yet collected: a budget of 12 times its size. Holding
 * every item's image at once, as building all requests up front would, cannot meet it.
 */
const IMAGE_BUDGET_PER_FLIGHT = 12;

export function imageTarget(images: ImageMemoryResult): Target {
	const budget = images.concurrency * images.imageBytes * IMAGE_BUDGET_PER_FLIGHT;
	return {
		name: `extra peak RSS with ${images.items} images, C=${images.concurrency}`,
		value: mib(images.extraRssBytes),
		target: `<= ${mib(budget)} (${IMAGE_BUDGET_PER_FLIGHT} x image x C)`,
		pass: images.extraRssBytes <= budget,
	};
}

function table(headers: string[], rows: string[][]): string {
	const widths = headers.map((header, column) =>
		Math.max(header.length, ...rows.map((row) => row[column].length)),
	);
	// Labels read left-aligned, numbers right-aligned.
	const line = (cells: string[]) =>
		`  ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')}`.trimEnd();
	return [line(headers), ...rows.map(line)].join('\n');
}

const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');

function duration(totalMs: number): string {
	const seconds = Math.round(totalMs / 1000);
	return seconds >= 60 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds} s`;
}

export function formatReport(results: BenchResults): string {
	const { machine, efficiency, overhead, fault, memory, authenticate, images } = results;
	const peakOf = (run: ImageMemoryResult['withImages']) =>
		`peak RSS ${mib(run.peak.rssBytes)}, heapUsed ${mib(run.peak.heapUsedBytes)}, external ${mib(run.peak.externalBytes)}, node ${ms(run.nodeMs)} ms`;
	const out: string[] = [];
	out.push(
		`HumirisChat benchmark${results.quick ? ' (BENCH_QUICK: reduced sizes, a smoke check only)' : ''}`,
		`${results.timestamp}  node ${machine.node}  ${machine.cpus} x ${machine.cpuModel}`,
		`node ms = the node's own executionTime from n8n's runData (its execute() only); wall ms = the whole runWorkflow call.`,
		'',
		`1. Throughput efficiency (N=${efficiency[0]?.items}, L=${efficiency[0]?.latencyMs} ms; ideal = ceil(N/C) * L)`,
		table(
			['C', 'ideal ms', 'node ms', 'wall ms', 'efficiency', 'peak in flight', 'raw fetch ms', 'raw efficiency'],
			efficiency.map((row) => [
				String(row.concurrency),
				ms(row.idealMs),
				ms(row.nodeMs),
				ms(row.wallMs),
				row.efficiency.toFixed(3),
				String(row.peakInFlight),
				row.rawMs === undefined ? '-' : ms(row.rawMs),
				row.rawEfficiency === undefined ? '-' : row.rawEfficiency.toFixed(3),
			]),
		),
		`  raw fetch = the same requests replayed with plain fetch at the same C and L: the ceiling this machine allows.`,
		'',
		`2. Speed-up C=10 over C=1: ${results.speedupC10overC1 === undefined ? 'not measured' : `${results.speedupC10overC1.toFixed(2)}x (ideal 10x)`}`,
		'',
		`3. Per-item overhead at L=0 (N=${overhead.items}, C=${overhead.concurrency}, best of ${overhead.repeats} alternating runs each)`,
		`  node ${overhead.nodeMsPerItem.toFixed(3)} ms/item   n8n's request helper alone ${overhead.helperMsPerItem.toFixed(3)} ms/item   raw fetch ${overhead.rawMsPerItem.toFixed(3)} ms/item`,
		`  node / helper ${overhead.helperRatio.toFixed(2)}x   node / raw fetch ${overhead.ratio.toFixed(2)}x   helper / raw fetch ${(overhead.helperMsPerItem / overhead.rawMsPerItem).toFixed(2)}x`,
		'',
		`4. Fault run (N=${fault.items}, C=${fault.concurrency}, L=${fault.latencyMs} ms, ${fault.plan.rate * 100}% of requests fail: ${fault.plan.kinds.join('/')}, Retry-After ${fault.plan.retryAfterS} s, maxRetries ${fault.maxRetries})`,
		`  received ${fault.received}/${fault.items}   in order ${fault.inOrder ? 'yes' : 'NO'}   lost ${fault.lost}   duplicated ${fault.duplicated}   error items ${fault.errorItems}`,
		`  attempts ${fault.attempts} (faults injected: ${Object.entries(fault.faultsByKind).map(([kind, count]) => `${kind} ${count}`).join(', ') || 'none'})   node ${ms(fault.nodeMs)} ms   wall ${ms(fault.wallMs)} ms`,
		'',
		`5. Peak memory (N=${memory.items}, L=0, C=${memory.concurrency}; peak sampled every 10 ms minus the baseline just before the run${memory.gcForced ? ', taken after a forced GC' : ', GC not exposed so the baseline may hold garbage'})`,
		`  peak RSS ${ms(memory.rssBytesPerItem)} B/item (${mib(memory.peakRssDeltaBytes)})   peak heapUsed ${ms(memory.heapUsedBytesPerItem)} B/item (${mib(memory.peakHeapUsedDeltaBytes)}), garbage included`,
		`  retained after the run (forced GC, output still held) ${memory.retainedHeapBytesPerItem === undefined ? 'not measured (no --expose-gc)' : `${ms(memory.retainedHeapBytesPerItem)} B/item`}`,
		'',
		`6. Credential authenticate A/B (N=${authenticate.items}, L=0, C=${authenticate.concurrency}, best of ${authenticate.repeats} alternating runs each)`,
		`  function (as shipped) ${authenticate.functionMsPerItem.toFixed(3)} ms/item   generic ={{$credentials.x}} headers ${authenticate.genericMsPerItem.toFixed(3)} ms/item   saved ${(authenticate.genericMsPerItem - authenticate.functionMsPerItem).toFixed(3)} ms/item`,
		'',
		...formatCost(results.cost),
		`8. Peak memory with images (N=${images.items}, one ${mib(images.imageBytes)} PNG each in n8n's filesystem binary mode, C=${images.concurrency}, L=${images.latencyMs} ms)`,
		`  without Images From Binary: ${peakOf(images.withoutImages)}`,
		`  with Images From Binary:    ${peakOf(images.withImages)}`,
		`  with images, ${Math.ceil(images.items / 4)} items:     ${peakOf(images.quarterWithImages)}`,
		`  images cost ${mib(images.extraRssBytes)} of peak RSS (${mib(images.extraHeapBytes)} heap + external); every image held at once would be ${mib(images.allAtOnceBytes)}`,
		'',
		'Targets',
		table(
			['', 'measured', 'target', ''],
			results.targets.map((target) => [target.name, target.value, target.target, verdict(target.pass)]),
		),
		'',
		`Total run time ${duration(results.totalMs)}; overall ${verdict(results.pass)}${results.enforced ? '' : ' (not enforced in BENCH_QUICK)'}`,
	);
	return `${out.join('\n')}\n`;
}

/** A quick run goes to quick.json so it never replaces the last full run's latest.json. */
export function saveResults(results: BenchResults): string {
	const folder = join(__dirname, 'results');
	mkdirSync(folder, { recursive: true });
	const file = join(folder, results.quick ? 'quick.json' : 'latest.json');
	writeFileSync(file, `${JSON.stringify(results, null, '\t')}\n`);
	return file;
}
