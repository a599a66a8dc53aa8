/** A plan's limits, enforced the way a gateway does: answered at once with 429, before any latency. */
export interface SimulatorLimits {
	/** Completions processed at once; one more is refused. */
	maxInFlight?: number;
	/** A token bucket refilled at this rate, holding one second's worth. */
	requestsPerMinute?: number;
	/** Sent as Retry-After (seconds) on a refusal for the in-flight limit; default 1. */
	retryAfterS?: number;
}

export type Admission = { ok: true; release: () => void } | { ok: false; reason: string; headers: Record<string, string> };

export function assertLimits(value: unknown): SimulatorLimits {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('limits must be a JSON object');
	const limits = value as Record<string, unknown>;
	for (const name of ['maxInFlight', 'requestsPerMinute', 'retryAfterS']) {
		const field = limits[name];
		if (field !== undefined && (typeof field !== 'number' || !Number.isFinite(field) || field < 0)) {
			throw new Error(`limits.${name} must be a non-negative number`);
		}
	}
	return limits as SimulatorLimits;
}

export class PlanLimiter {
	private inFlight = 0;
	private tokens = 0;
	private refilledAt = 0;
	/** Refusals so far, by limit: what a benchmark counts as the API's 429s. */
	readonly refused = { inFlight: 0, perMinute: 0 };

	constructor(private readonly limits: SimulatorLimits = {}) {
		this.tokens = this.capacity();
		this.refilledAt = performance.now();
	}

	private capacity(): number {
		return Math.max(1, (this.limits.requestsPerMinute ?? 0) / 60);
	}

	admit(): Admission {
		const { maxInFlight, requestsPerMinute } = this.limits;
		if (maxInFlight && this.inFlight >= maxInFlight) {
			this.refused.inFlight++;
			return { ok: false, reason: `limit in-flight=${maxInFlight}`, headers: { 'retry-after': String(this.limits.retryAfterS ?? 1) } };
		}
		if (requestsPerMinute) {
			const now = performance.now();
			const perMs = requestsPerMinute / 60_000;
			this.tokens = Math.min(this.capacity(), this.tokens + (now - this.refilledAt) * perMs);
			this.refilledAt = now;
			if (this.tokens < 1) {
				this.refused.perMinute++;
				const waitMs = Math.ceil((1 - this.tokens) / perMs);
				return {
					ok: false,
					reason: `limit per-minute=${requestsPerMinute}`,
					headers: { 'retry-after': String(Math.ceil(waitMs / 1000)), 'retry-after-ms': String(waitMs) },
				};
			}
			this.tokens -= 1;
		}
		this.inFlight++;
		let released = false;
		return {
			ok: true,
			release: () => {
				if (!released) this.inFlight--;
				released = true;
			},
		};
	}
}
