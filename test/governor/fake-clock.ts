import { sleep } from 'n8n-workflow';

import type { GovernorClock } from '../../nodes/shared/transport/governor';

interface Timer {
	at: number;
	resolve: () => void;
}

/** A clock that moves only when told to, with a replayable "random" sequence. */
export class FakeClock implements GovernorClock {
	private time = 1_000_000;
	private timers: Timer[] = [];
	private draws = 0;

	constructor(private readonly randoms: number[] = [0.5]) {}

	now(): number {
		return this.time;
	}

	random(): number {
		return this.randoms[this.draws++ % this.randoms.length];
	}

	async sleep(ms: number, signal: AbortSignal): Promise<void> {
		await new Promise<void>((resolve, reject) => {
			const timer: Timer = { at: this.time + ms, resolve };
			this.timers.push(timer);
			signal.addEventListener(
				'abort',
				() => {
					this.timers = this.timers.filter((candidate) => candidate !== timer);
					reject(new Error('aborted'));
				},
				{ once: true },
			);
		});
	}

	/** Timers still set: the governor must leave none behind once nothing waits. */
	get pendingTimers(): number {
		return this.timers.length;
	}

	/** Moves time forward by `ms`, firing every timer due on the way, in order. */
	async advance(ms: number): Promise<void> {
		const target = this.time + ms;
		for (;;) {
			await settle();
			const due = this.timers.filter((timer) => timer.at <= target).sort((a, b) => a.at - b.at)[0];
			if (!due) break;
			this.timers = this.timers.filter((timer) => timer !== due);
			this.time = due.at;
			due.resolve();
		}
		this.time = target;
		await settle();
	}
}

/** Lets every promise callback already queued run. */
export async function settle(): Promise<void> {
	await sleep(0);
}
