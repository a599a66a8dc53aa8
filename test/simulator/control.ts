import { assertRandomFaultPlan, type RandomFaultPlan } from './faults';
import { assertLimits, type SimulatorLimits } from './limits';
import { assertLatency } from './random';
import type { LatencySpec } from './types';

/** What POST /__sim/config may change, so a separate process (e.g. a real n8n) can be steered over HTTP. */
export interface ConfigUpdate {
	seed?: number;
	latency?: LatencySpec;
	/** null switches random faults off. */
	faults?: RandomFaultPlan | null;
	/** null lifts the limits. */
	limits?: SimulatorLimits | null;
	readPrompts?: boolean;
	/** false refuses image parts as a text-only model does, until the next reset. */
	images?: boolean;
}

export function parseConfigUpdate(value: unknown): ConfigUpdate {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new Error('config must be a JSON object');
	}
	const { seed, latencyMs, latency, faults, limits, readPrompts, images } = value as Record<string, unknown>;
	if (readPrompts !== undefined && typeof readPrompts !== 'boolean') throw new Error('readPrompts must be a boolean');
	if (images !== undefined && typeof images !== 'boolean') throw new Error('images must be true or false');
	if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed))) {
		throw new Error('seed must be a number');
	}
	if (latencyMs !== undefined && latency !== undefined) {
		throw new Error('give either latencyMs or latency, not both');
	}
	const latencyValue = latencyMs ?? latency;
	return {
		seed,
		latency: latencyValue === undefined ? undefined : assertLatency(latencyValue),
		faults: faults === undefined || faults === null ? faults : assertRandomFaultPlan(faults),
		limits: limits === undefined || limits === null ? limits : assertLimits(limits),
		readPrompts,
		images,
	};
}
