/* eslint-disable @n8n/community-nodes/no-restricted-globals -- benchmark code that runs in plain Node, never shipped */
import { disposeEngineRuntime } from '../test/engine/runtime';
import { costConfig, costTargets, measureCost } from './cost';
import { measureImageMemory } from './images';
import { canForceGc } from './memory';
import {
	evaluateTargets,
	formatReport,
	imageTarget,
	machineInfo,
	saveResults,
	speedup,
	type BenchResults,
} from './report';
import {
	benchConfig,
	measureEfficiency,
	measureFaults,
	measureMemory,
	measureAuthenticate,
	measureOverhead,
	warmUp,
} from './scenarios';
import { spawnSimulator } from './simulator-client';

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function main(): Promise<boolean> {
	const started = performance.now();
	const config = benchConfig(process.env.BENCH_QUICK === '1');
	if (!canForceGc()) progress('GC is not exposed (run node with --expose-gc): memory baselines may hold garbage');
	const simulator = await spawnSimulator();
	try {
		progress('warm-up');
		await warmUp(simulator, config.quick ? 100 : 500);
		// First after the warm-up, while the heap and RSS have not yet grown for other runs.
		progress(`memory, N=${config.memory.items}`);
		const memory = await measureMemory(simulator, config.memory);
		progress(`overhead vs raw fetch, N=${config.overhead.items} x ${config.overhead.repeats}`);
		const overhead = await measureOverhead(simulator, config.overhead);
		progress(`efficiency, N=${config.efficiency.items}, C=${config.efficiency.concurrencies.join('/')} (C=1 alone takes N x ${config.efficiency.latencyMs} ms)`);
		const efficiency = await measureEfficiency(simulator, config.efficiency);
		progress(`fault run, N=${config.fault.items}`);
		const fault = await measureFaults(simulator, config.fault);
		progress(`credential authenticate A/B, N=${config.authenticate.items} x ${config.authenticate.repeats}`);
		const authenticate = await measureAuthenticate(simulator, config.authenticate);
		const cost = costConfig(config.quick);
		progress(`cost options: reuse N=${cost.reuse.items} (${cost.reuse.distinct} distinct), budget N=${cost.budget.items}`);
		const costResult = await measureCost(simulator, cost);

		// Last: it switches n8n to its filesystem binary data mode for the rest of the process.
		progress(`memory with images, N=${config.images.items} x ${config.images.imageBytes / 2 ** 20} MB, C=${config.images.concurrency}`);
		const images = await measureImageMemory(simulator, config.images);

		const targets = [...evaluateTargets(overhead, fault, memory), ...costTargets(costResult), imageTarget(images)];
		const results: BenchResults = {
			timestamp: new Date().toISOString(),
			machine: machineInfo(),
			quick: config.quick,
			config,
			method: {
				time: "the node's executionTime from n8n's runData (WorkflowExecute's clock around the node's execute())",
				simulator: 'MoAI simulator (startSimulator) in a child process, so its CPU time and request log stay out of the measurements',
				rawLoop: 'global fetch (keep-alive), same bodies and headers as the node sent, same concurrency, JSON parsed',
				memory: 'process.memoryUsage() sampled every 10 ms; peak minus the baseline taken just before the run',
			},
			efficiency,
			speedupC10overC1: speedup(efficiency, 1, 10),
			overhead,
			fault,
			memory,
			authenticate,
			cost: costResult,
			images,
			targets,
			enforced: !config.quick,
			pass: targets.every(({ pass }) => pass),
			totalMs: performance.now() - started,
		};
		process.stdout.write(formatReport(results));
		progress(`results written to ${saveResults(results)}`);
		return results.pass || !results.enforced;
	} finally {
		await simulator.close();
		await disposeEngineRuntime();
	}
}

main().then(
	(pass) => {
		process.exitCode = pass ? 0 : 1;
	},
	(error: unknown) => {
		process.stderr.write(`benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
		process.exitCode = 2;
	},
);
