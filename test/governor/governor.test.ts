import { RequestGovernor, type Admission, type GovernorLimits, type Slot } from '../../nodes/shared/transport/governor';
import { FakeClock, settle } from './fake-clock';

const UNSET: GovernorLimits = { maxConcurrent: 0, requestsPerMinute: 0 };

interface Tracked {
	ticket: number;
	admission?: Admission;
	at?: number;
}

function setUp(limits: Partial<GovernorLimits> = {}, randoms?: number[]) {
	const clock = new FakeClock(randoms);
	const governor = new RequestGovernor({ ...UNSET, ...limits }, clock);
	const log: Tracked[] = [];
	/** In the order the governor let them through. */
	const grants: Tracked[] = [];
	const request = (options: { ticket?: number; maxWaitMs?: number; signal?: AbortSignal } = {}): Tracked => {
		const tracked: Tracked = { ticket: options.ticket ?? governor.ticket() };
		log.push(tracked);
		void governor.acquire(tracked.ticket, options.maxWaitMs ?? Number.POSITIVE_INFINITY, options.signal).then((admission) => {
			tracked.admission = admission;
			tracked.at = clock.now();
			if (admission.granted) grants.push(tracked);
		});
		return tracked;
	};
	const granted = () => log.filter((tracked) => tracked.admission?.granted === true);
	const slotOf = (tracked: Tracked): Slot => {
		if (tracked.admission?.granted !== true) throw new Error(`ticket ${tracked.ticket} holds no slot`);
		return tracked.admission.slot;
	};
	return { clock, governor, request, granted, grants, slotOf };
}

describe('the learned window (Max Concurrent Requests 0)', () => {
	it('bounds nothing until the API answers 429', async () => {
		const { governor, request, granted } = setUp();
		Array.from({ length: 30 }, () => request());
		await settle();

		expect(granted()).toHaveLength(30);
		expect(governor.state()).toMatchObject({ window: null, inFlight: 30, queued: 0 });
	});

	it('shrinks to what the API held when 20 requests meet a limit of 8, not to 90 % of 20', async () => {
		const { governor, request, slotOf } = setUp();
		const first = Array.from({ length: 20 }, () => request());
		await settle();

		first.slice(8).forEach((tracked) => slotOf(tracked).release('rate-limited', 1_000));

		expect(governor.state()).toMatchObject({ window: 8, inFlight: 8 });
	});

	it('takes 90 % at most for a 429 of a later round, and never goes below 1', async () => {
		const { clock, governor, request, slotOf } = setUp();
		for (let round = 0; round < 6; round++) {
			const tracked = request();
			await clock.advance(10_000);
			slotOf(tracked).release('rate-limited', 10);
		}

		expect(governor.state().window).toBe(1);
		const next = request();
		await clock.advance(10_000);
		expect(next.admission?.granted).toBe(true);
	});

	it('grows back by one per window of answers, and past the level that drew the 429 only after 16 windows', async () => {
		const { clock, governor, request, slotOf } = setUp();
		const opening = Array.from({ length: 6 }, () => request());
		await settle();
		// 6 in flight, the API took 4: the window is 4, the level that drew a 429 is 5 or more.
		opening.slice(4).forEach((tracked) => slotOf(tracked).release('rate-limited', 100));
		await clock.advance(1_000);
		expect(governor.state().window).toBe(4);

		const inFlight = opening.slice(0, 4);
		let answers = 0;
		const answerOne = async () => {
			const tracked = inFlight.shift() as Tracked;
			slotOf(tracked).release('answered');
			answers++;
			inFlight.push(request());
			await clock.advance(100);
		};
		// Level 5 drew the last 429 in this round: growing from 4 to 5 is a probe.
		while (governor.state().window === 4 && answers < 200) await answerOne();
		expect(answers).toBeGreaterThanOrEqual(16 * 4 - 1);
		expect(governor.state().window).toBe(5);
	});

	it('does not grow while the window is not full: an idle window proves nothing', async () => {
		const { clock, governor, request, slotOf } = setUp();
		const opening = Array.from({ length: 4 }, () => request());
		await settle();
		opening.slice(2).forEach((tracked) => slotOf(tracked).release('rate-limited', 10));
		opening.slice(0, 2).forEach((tracked) => slotOf(tracked).release('answered'));
		await clock.advance(100);
		expect(governor.state().window).toBe(2);

		for (let index = 0; index < 50; index++) {
			const one = request();
			await clock.advance(1);
			slotOf(one).release('answered');
		}

		expect(governor.state().window).toBe(2);
	});

	it('keeps Max Concurrent Requests as the ceiling of the learned window', async () => {
		const { governor, request, granted } = setUp({ maxConcurrent: 3 });
		Array.from({ length: 10 }, () => request());
		await settle();

		expect(granted()).toHaveLength(3);
		expect(governor.state()).toMatchObject({ window: 3, inFlight: 3, queued: 7 });
	});
});

describe('order', () => {
	it('serves waiting requests in ticket order, and a request back from a 429 before later arrivals', async () => {
		const { clock, request, granted, grants, slotOf } = setUp({ maxConcurrent: 1 });
		const a = request();
		const b = request();
		const c = request();
		await settle();
		expect(granted().map(({ ticket }) => ticket)).toEqual([a.ticket]);

		slotOf(a).release('rate-limited', 50);
		const aAgain = request({ ticket: a.ticket });
		const d = request();
		await clock.advance(200);
		expect(grants.at(-1)).toBe(aAgain);

		for (const next of [aAgain, b, c]) {
			slotOf(next).release('answered');
			await clock.advance(200);
		}
		expect(grants.map(({ ticket }) => ticket)).toEqual([a.ticket, a.ticket, b.ticket, c.ticket, d.ticket]);
	});
});

describe('pauses', () => {
	it('holds every request for Retry-After, then resumes them spread out, in order', async () => {
		const { clock, governor, request, grants } = setUp({}, [0.1, 0.9, 0.5, 0.3]);
		governor.pause(1_000);
		const start = clock.now();
		const waiting = Array.from({ length: 6 }, () => request());

		await clock.advance(999);
		expect(grants).toEqual([]);

		await clock.advance(2_000);
		expect(waiting.every((tracked) => tracked.admission?.granted)).toBe(true);
		const times = waiting.map((tracked) => (tracked.at as number) - start);
		expect(times[0]).toBe(1_000);
		expect(new Set(times).size).toBe(times.length);
		expect(grants).toEqual(waiting);
		expect(times.at(-1)).toBeLessThan(1_000 + 6 * 30);
	});

	it('pauses for a 429 without Retry-After too, longer each time in a row', async () => {
		const { clock, governor, request, slotOf } = setUp();
		const pauses: number[] = [];
		for (let round = 0; round < 3; round++) {
			const tracked = request();
			await clock.advance(60_000);
			slotOf(tracked).release('rate-limited');
			pauses.push(governor.state().pausedForMs);
		}
		expect(pauses).toEqual([500, 1_000, 2_000]);
	});

	it('keeps the longest pause: a shorter one asked later does not cut it short', async () => {
		const { clock, governor, request } = setUp();
		governor.pause(1_000);
		governor.pause(10);
		const tracked = request();
		await clock.advance(900);
		expect(tracked.admission).toBeUndefined();
		await clock.advance(200);
		expect(tracked.admission?.granted).toBe(true);
	});
});

describe('Max Requests per Minute', () => {
	it('spaces the starts evenly: 600 per minute is one every 100 ms', async () => {
		const { clock, request } = setUp({ requestsPerMinute: 600 });
		const start = clock.now();
		const all = Array.from({ length: 5 }, () => request());
		await clock.advance(1_000);

		expect(all.map((tracked) => (tracked.at as number) - start)).toEqual([0, 100, 200, 300, 400]);
	});
});

describe('waits that end early', () => {
	it('lets a request that allows no wait through when a slot is free', async () => {
		const { request } = setUp();
		const tracked = request({ maxWaitMs: 0 });
		await settle();
		expect(tracked.admission).toMatchObject({ granted: true, waitedMs: 0 });
	});

	it('gives up on a request that has waited its bound, saying how long it waited', async () => {
		const { clock, governor, request } = setUp();
		governor.pause(10_000);
		const tracked = request({ maxWaitMs: 500 });
		await clock.advance(499);
		expect(tracked.admission).toBeUndefined();
		await clock.advance(1);

		expect(tracked.admission).toEqual({ granted: false, waitedMs: 500, reason: 'waited-too-long' });
		expect(governor.state().queued).toBe(0);
	});

	it('ends a wait at once when its signal aborts, and frees its place', async () => {
		const { clock, governor, request } = setUp();
		governor.pause(60_000);
		const stop = new AbortController();
		const tracked = request({ signal: stop.signal });
		await clock.advance(10);
		stop.abort();
		await settle();

		expect(tracked.admission).toEqual({ granted: false, waitedMs: 10, reason: 'cancelled' });
		expect(governor.state().queued).toBe(0);
	});

	it('leaves no timer set once nothing waits', async () => {
		const { clock, governor, request, slotOf } = setUp({ requestsPerMinute: 60 });
		const tracked = [request({ maxWaitMs: 300_000 }), request({ maxWaitMs: 300_000 })];
		await clock.advance(1_000);
		tracked.forEach((one) => slotOf(one).release('answered'));
		await settle();

		expect(governor.state()).toMatchObject({ inFlight: 0, queued: 0 });
		expect(clock.pendingTimers).toBe(0);
	});
});
