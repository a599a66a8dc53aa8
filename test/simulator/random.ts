import type { LatencySpec } from './types';

export type Random = () => number;

/** Mulberry32: tiny and seedable, so jitter and random faults replay identically for a given seed. */
export function createRandom(seed: number): Random {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export function sampleLatency(latency: LatencySpec, random: Random): number {
	if (typeof latency === 'number') return latency;
	return latency.min + random() * (latency.max - latency.min);
}

export function assertLatency(value: unknown): LatencySpec {
	if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
	if (typeof value === 'object' && value !== null) {
		const { min, max } = value as { min?: unknown; max?: unknown };
		if (typeof min === 'number' && typeof max === 'number' && min >= 0 && max >= min) {
			return { min, max };
		}
	}
	throw new Error('latency must be a non-negative number of ms or {min, max} with 0 <= min <= max');
}
