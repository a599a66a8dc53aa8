import { sleep } from 'n8n-workflow';

import { TIMER_CLEARED } from './timer-cleared';

/** A plan's limits as the user knows them; 0 means not known (learned, or no cap). */
export interface GovernorLimits {
	/** Requests in flight at most; 0 learns the window from the API's 429s. */
	maxConcurrent: number;
	/** Requests started per minute at most; 0 for no cap. */
	requestsPerMinute: number;
}

/** Injected so the core can be driven on a fake clock; production uses systemClock. */
export interface GovernorClock {
	now(): number;
	/** Rejects when `signal` aborts: the governor cancels a timer it no longer needs. */
	sleep(ms: number, signal: AbortSignal): Promise<void>;
	random(): number;
}

export const systemClock: GovernorClock = {
	now: () => Date.now(),
	sleep: async (ms, signal) => await sleep(ms, signal),
	random: () => Math.random(),
};

/** How a granted request ended, which is what the window learns from. */
export type RequestOutcome = 'answered' | 'rate-limited' | 'failed';

export interface Slot {
	/**
	 * Gives the slot back. `pauseMs`: how long the API asked everyone to wait (Retry-After);
	 * a 429 without one pauses on a doubling schedule instead.
	 */
	release(outcome: RequestOutcome, pauseMs?: number): void;
}

export type Admission =
	| { granted: true; waitedMs: number; slot: Slot }
	| { granted: false; waitedMs: number; reason: 'cancelled' | 'waited-too-long' };

export interface GovernorState {
	/** Requests in flight the governor allows now; null while nothing bounds them. */
	window: number | null;
	inFlight: number;
	queued: number;
	/** How long every request of the credential still waits because the API said so. */
	pausedForMs: number;
}

interface Waiter {
	ticket: number;
	enqueuedAt: number;
	deadline: number;
	signal?: AbortSignal;
	onAbort?: () => void;
	settle(admission: Admission): void;
}

/** Netflix concurrency-limits' AIMD default: a 429 keeps 90 % of the window at most. */
const BACKOFF_RATIO = 0.9;
/** Growing past the level that last drew a 429 takes this many windows of answers per step. */
const PROBE_PATIENCE = 16;
/** Mean spacing of the requests that resume after a pause, so they do not arrive together. */
const RESUME_GAP_MS = 15;
/** A 429 without Retry-After: the official OpenAI SDKs' schedule, 0.5 s doubling up to 8 s. */
const FIRST_PAUSE_MS = 500;
const MAX_PAUSE_MS = 8_000;

/**
 * Every request made with one credential in this process passes here: a window of requests
 * in flight (the user's Max Concurrent Requests, or learned: additive increase on answers,
 * multiplicative decrease on 429s, never below 1), one pause for everyone when the API asks
 * to wait, an even spacing for Max Requests per Minute, and one queue served in ticket order.
 * A request keeps its ticket when it comes back after a 429, so it goes before later arrivals.
 */
export class RequestGovernor {
	private window = Number.POSITIVE_INFINITY;
	/** The in-flight level that drew the last 429: growing past it is a probe, done sparingly. */
	private ceiling = Number.POSITIVE_INFINITY;
	/** Decreases so far; a 429 for a request sent before the latest one shrinks no further by ratio. */
	private epoch = 0;
	private inFlight = 0;
	private queue: Waiter[] = [];
	private tickets = 0;
	private pausedUntil = 0;
	private resuming = false;
	private resumeAt = 0;
	private nextStartAt = 0;
	private limitedStreak = 0;
	private wakeAt = Number.POSITIVE_INFINITY;
	private wakeTimer: AbortController | undefined;
	private lastActiveAt: number;

	constructor(
		private readonly limits: GovernorLimits,
		private readonly clock: GovernorClock = systemClock,
	) {
		this.lastActiveAt = clock.now();
	}

	/** A place in line; a request keeps it for all its attempts. */
	ticket(): number {
		return ++this.tickets;
	}

	/** Resolves when the request may be sent, when `signal` aborts, or once it has waited `maxWaitMs`. */
	async acquire(ticket: number, maxWaitMs: number, signal?: AbortSignal): Promise<Admission> {
		const enqueuedAt = this.clock.now();
		this.lastActiveAt = enqueuedAt;
		if (signal?.aborted) return { granted: false, waitedMs: 0, reason: 'cancelled' };
		return await new Promise<Admission>((resolve) => {
			const waiter: Waiter = {
				ticket,
				enqueuedAt,
				deadline: enqueuedAt + Math.max(0, maxWaitMs),
				signal,
				settle: (admission) => {
					if (waiter.onAbort) signal?.removeEventListener('abort', waiter.onAbort);
					resolve(admission);
				},
			};
			if (signal) {
				waiter.onAbort = () => {
					this.remove(waiter);
					waiter.settle({ granted: false, waitedMs: this.clock.now() - enqueuedAt, reason: 'cancelled' });
					this.pump();
				};
				signal.addEventListener('abort', waiter.onAbort, { once: true });
			}
			this.enqueue(waiter);
			this.pump();
		});
	}

	/** Holds every request of the credential for `ms`; they resume spread out. */
	pause(ms: number): void {
		if (!(ms > 0)) return;
		this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
		this.resuming = true;
		this.pump();
	}

	state(): GovernorState {
		const cap = this.cap();
		return {
			window: Number.isFinite(cap) ? Math.floor(cap) : null,
			inFlight: this.inFlight,
			queued: this.queue.length,
			pausedForMs: Math.max(0, this.pausedUntil - this.clock.now()),
		};
	}

	/** How long nothing has been in flight, queued or paused; 0 while anything is. */
	idleForMs(now: number = this.clock.now()): number {
		if (this.inFlight > 0 || this.queue.length > 0 || this.pausedUntil > now) return 0;
		return now - this.lastActiveAt;
	}

	private cap(): number {
		const { maxConcurrent } = this.limits;
		return maxConcurrent > 0 ? Math.min(maxConcurrent, this.window) : this.window;
	}

	private enqueue(waiter: Waiter): void {
		let index = this.queue.length;
		while (index > 0 && this.queue[index - 1].ticket > waiter.ticket) index--;
		this.queue.splice(index, 0, waiter);
	}

	private remove(waiter: Waiter): void {
		const index = this.queue.indexOf(waiter);
		if (index >= 0) this.queue.splice(index, 1);
	}

	private pump(): void {
		const now = this.clock.now();
		let next = Number.POSITIVE_INFINITY;
		while (this.queue.length > 0) {
			const openAt = Math.max(this.pausedUntil, this.nextStartAt, this.resuming ? this.resumeAt : 0);
			if (now < openAt) {
				next = openAt;
				break;
			}
			if (this.inFlight >= Math.max(1, Math.floor(this.cap()))) {
				// Answers now free the slots one by one: resuming needs no more spreading.
				this.resuming = false;
				break;
			}
			this.grant(this.queue.shift() as Waiter, now);
		}
		// After the grants: a request that can go at once goes, even with no wait allowed.
		this.expire(now);
		if (this.queue.length === 0 && now >= this.pausedUntil) this.resuming = false;
		for (const waiter of this.queue) next = Math.min(next, waiter.deadline);
		this.wake(next, now);
	}

	private expire(now: number): void {
		for (const waiter of this.queue.filter((candidate) => candidate.deadline <= now)) {
			this.remove(waiter);
			waiter.settle({ granted: false, waitedMs: now - waiter.enqueuedAt, reason: 'waited-too-long' });
		}
	}

	/** One timer, for the earliest moment something can change; none when nothing waits. */
	private wake(at: number, now: number): void {
		if (at === this.wakeAt) return;
		this.wakeTimer?.abort(TIMER_CLEARED);
		this.wakeTimer = undefined;
		this.wakeAt = at;
		if (!Number.isFinite(at)) return;
		const timer = new AbortController();
		this.wakeTimer = timer;
		this.clock.sleep(Math.max(0, at - now), timer.signal).then(
			() => {
				if (this.wakeTimer !== timer) return;
				this.wakeTimer = undefined;
				this.wakeAt = Number.POSITIVE_INFINITY;
				this.pump();
			},
			() => undefined,
		);
	}

	private grant(waiter: Waiter, now: number): void {
		this.inFlight++;
		this.lastActiveAt = now;
		const interval = this.limits.requestsPerMinute > 0 ? 60_000 / this.limits.requestsPerMinute : 0;
		if (interval > 0) this.nextStartAt = Math.max(now, this.nextStartAt) + interval;
		if (this.resuming) this.resumeAt = now + RESUME_GAP_MS * 2 * this.clock.random();
		const epoch = this.epoch;
		let released = false;
		const slot: Slot = {
			release: (outcome, pauseMs) => {
				if (released) return;
				released = true;
				this.settleSlot(outcome, epoch, pauseMs);
			},
		};
		waiter.settle({ granted: true, waitedMs: now - waiter.enqueuedAt, slot });
	}

	private settleSlot(outcome: RequestOutcome, epoch: number, pauseMs: number | undefined): void {
		const level = this.inFlight;
		this.inFlight--;
		this.lastActiveAt = this.clock.now();
		if (outcome === 'answered') this.grow(level);
		if (outcome === 'rate-limited') this.shrink(level, epoch, pauseMs);
		this.pump();
	}

	/** Additive increase, only while the window is in use: an idle window proves nothing. */
	private grow(level: number): void {
		this.limitedStreak = 0;
		if (level >= this.ceiling) this.ceiling = Number.POSITIVE_INFINITY;
		const cap = this.limits.maxConcurrent > 0 ? this.limits.maxConcurrent : Number.POSITIVE_INFINITY;
		if (!Number.isFinite(this.window) || this.window >= cap || level < Math.floor(this.window)) return;
		const probing = Math.floor(this.window) + 1 >= this.ceiling;
		this.window = Math.min(cap, this.window + 1 / (this.window * (probing ? PROBE_PATIENCE : 1)));
	}

	/**
	 * Multiplicative decrease, once per round of requests, and never above what the API was
	 * holding when it said no (the requests still in flight): 20 sent into a limit of 8 come
	 * back as 12 429s that bring the window to 8, not to 20 × 0.9.
	 */
	private shrink(level: number, epoch: number, pauseMs: number | undefined): void {
		const held = this.inFlight;
		if (epoch === this.epoch) {
			this.window = Math.max(1, Math.min(this.window * BACKOFF_RATIO, held));
			this.ceiling = level;
			this.epoch++;
		} else {
			this.window = Math.max(1, Math.min(this.window, held));
			this.ceiling = Math.min(this.ceiling, level);
		}
		this.limitedStreak++;
		const asked = pauseMs ?? Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (this.limitedStreak - 1));
		this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + asked);
		this.resuming = true;
	}
}
