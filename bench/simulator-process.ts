/* eslint-disable @n8n/community-nodes/no-restricted-globals -- benchmark code that runs in plain Node, never shipped */
import { startSimulator } from '../test/simulator';

/**
 * The simulator in its own process, so its CPU time and request log stay out of what the
 * benchmark measures. It is steered over its HTTP control API and ends with its parent.
 */
async function main(): Promise<void> {
	const simulator = await startSimulator({ port: 0 });
	process.send?.({ url: simulator.url, origin: simulator.origin, apiKey: simulator.apiKey, mixTuningId: simulator.mixTuningId });
	process.once('disconnect', () => {
		void simulator.close().finally(() => process.exit(0));
	});
}

main().catch((error: unknown) => {
	process.stderr.write(`benchmark simulator failed to start: ${(error as Error).message}\n`);
	process.exit(1);
});
