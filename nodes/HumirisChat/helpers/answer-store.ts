/** The most the answers kept in one n8n process may hold, counted as their JSON text at 2 bytes a character. */
export const KEPT_ANSWER_BYTES = 32 * 1024 * 1024;

/** Expired answers are swept at most this often (each look-up also drops the one it finds expired). */
const SWEEP_EVERY_MS = 60_000;

export interface StoreLimits {
	maxBytes: number;
	/** The clock answers age by; expiry is checked when they are looked up, so no timer is needed. */
	now(): number;
}

interface Kept {
	text: string;
	bytes: number;
	storedAt: number;
	expiresAt: number;
}

const bytesOf = (key: string, text: string) => (key.length + text.length) * 2;

/**
 * Answers by request key, as JSON text (so every item that reuses one gets its own copy),
 * bounded in bytes with the least recently used dropped first; and the requests in flight,
 * so an identical request waits for the answer instead of sending its own.
 */
export class AnswerStore {
	private readonly kept = new Map<string, Kept>();
	private readonly inFlight = new Map<string, Promise<string | undefined>>();
	private heldBytes = 0;
	private sweptAt: number;

	constructor(private readonly limits: StoreLimits) {
		this.sweptAt = limits.now();
	}

	/** A kept answer younger than `maxAgeMs` (and than its own expiry); looking it up makes it the most recently used. */
	get(key: string, maxAgeMs: number): string | undefined {
		const now = this.limits.now();
		this.sweep(now);
		const entry = this.kept.get(key);
		if (!entry) return undefined;
		if (now >= entry.expiresAt) {
			this.drop(key, entry);
			return undefined;
		}
		if (now - entry.storedAt >= maxAgeMs) return undefined;
		this.kept.delete(key);
		this.kept.set(key, entry);
		return entry.text;
	}

	put(key: string, text: string, keepForMs: number): void {
		const now = this.limits.now();
		const previous = this.kept.get(key);
		if (previous) this.drop(key, previous);
		const bytes = bytesOf(key, text);
		// An answer larger than the whole bound would only empty the store.
		if (bytes > this.limits.maxBytes) return;
		this.kept.set(key, { text, bytes, storedAt: now, expiresAt: now + keepForMs });
		this.heldBytes += bytes;
		for (const [oldest, entry] of this.kept) {
			if (this.heldBytes <= this.limits.maxBytes) break;
			this.drop(oldest, entry);
		}
	}

	/** The answer of an identical request in flight: its JSON text, or undefined if it failed. */
	pending(key: string): Promise<string | undefined> | undefined {
		return this.inFlight.get(key);
	}

	/** Marks this request as in flight; the function returned must be called once it is done, answered or not. */
	lead(key: string): (text: string | undefined) => void {
		let settle: (text: string | undefined) => void = () => {};
		const answer = new Promise<string | undefined>((resolve) => (settle = resolve));
		this.inFlight.set(key, answer);
		return (text) => {
			if (this.inFlight.get(key) === answer) this.inFlight.delete(key);
			settle(text);
		};
	}

	get size(): number {
		return this.kept.size;
	}

	get bytes(): number {
		return this.heldBytes;
	}

	clear(): void {
		this.kept.clear();
		this.heldBytes = 0;
	}

	private drop(key: string, entry: Kept): void {
		this.kept.delete(key);
		this.heldBytes -= entry.bytes;
	}

	private sweep(now: number): void {
		if (now - this.sweptAt < SWEEP_EVERY_MS) return;
		this.sweptAt = now;
		for (const [key, entry] of this.kept) if (now >= entry.expiresAt) this.drop(key, entry);
	}
}

/**
 * The limits of the process-wide store. n8n builds the node itself, so tests reach the store
 * the node uses through this object: they shrink the bound or move its clock.
 */
export const keptAnswerLimits: StoreLimits = { maxBytes: KEPT_ANSWER_BYTES, now: () => Date.now() };

/**
 * Answers kept for "Reuse For (Minutes)": n8n loads the node's module once per process, so
 * this store is shared by every execution of this process, and by no other process.
 */
export const keptAnswers = new AnswerStore({
	get maxBytes() {
		return keptAnswerLimits.maxBytes;
	},
	now: () => keptAnswerLimits.now(),
});
