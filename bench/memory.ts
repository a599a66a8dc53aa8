/* eslint-disable @n8n/community-nodes/no-restricted-globals -- benchmark code that runs in plain Node, never shipped */

export interface MemoryPeak {
	/** Peak minus the baseline taken (after a forced GC when possible) just before `work` started. */
	rssBytes: number;
	heapUsedBytes: number;
	/** Memory outside the JS heap (Buffers), peak minus baseline. */
	externalBytes: number;
	/** heapUsed after a forced GC once `work` is done, its result still held: what the output itself keeps alive. */
	retainedHeapBytes?: number;
	samples: number;
	gcForced: boolean;
}

const gc = (globalThis as { gc?: () => void }).gc;

export function canForceGc(): boolean {
	return gc !== undefined;
}

export function forceGc(): void {
	gc?.();
}

/**
 * Runs `work` while sampling process.memoryUsage() every `intervalMs`. Samples only land
 * when the event loop is free, so a busy loop can hide a short spike; the final sample
 * after `work` catches what it left behind.
 */
export async function measurePeak<T>(work: () => Promise<T>, intervalMs = 10): Promise<{ value: T; peak: MemoryPeak }> {
	forceGc();
	const baseline = process.memoryUsage();
	let rss = baseline.rss;
	let heapUsed = baseline.heapUsed;
	let external = baseline.external;
	let samples = 0;
	const sample = () => {
		const usage = process.memoryUsage();
		rss = Math.max(rss, usage.rss);
		heapUsed = Math.max(heapUsed, usage.heapUsed);
		external = Math.max(external, usage.external);
		samples++;
	};
	const timer = setInterval(sample, intervalMs);
	try {
		const value = await work();
		sample();
		let retainedHeapBytes: number | undefined;
		if (gc) {
			gc();
			retainedHeapBytes = process.memoryUsage().heapUsed - baseline.heapUsed;
		}
		return {
			value,
			peak: {
				rssBytes: rss - baseline.rss,
				heapUsedBytes: heapUsed - baseline.heapUsed,
				externalBytes: external - baseline.external,
				retainedHeapBytes,
				samples,
				gcForced: gc !== undefined,
			},
		};
	} finally {
		clearInterval(timer);
	}
}
