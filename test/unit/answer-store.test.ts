import { AnswerStore } from '../../nodes/HumirisChat/helpers/answer-store';

function storeOf(maxBytes: number) {
	const clock = { time: 1_000 };
	return { clock, store: new AnswerStore({ maxBytes, now: () => clock.time }) };
}

/** Key and text of one character each: 4 bytes an entry. */
const ENTRY = 4;

describe('AnswerStore', () => {
	it('reuses an answer until its own expiry, and only while it is younger than the caller asks', () => {
		const { clock, store } = storeOf(1_000);
		store.put('k', 'a', 100);
		clock.time += 50;
		expect(store.get('k', 60)).toBe('a');
		expect(store.get('k', 50)).toBeUndefined();
		clock.time += 49;
		expect(store.get('k', Infinity)).toBe('a');
		clock.time += 1;
		expect(store.get('k', Infinity)).toBeUndefined();
		expect(store.size).toBe(0);
		expect(store.bytes).toBe(0);
	});

	it('drops the least recently used answer first to stay within its bytes', () => {
		const { store } = storeOf(3 * ENTRY);
		store.put('a', '1', Infinity);
		store.put('b', '2', Infinity);
		store.put('c', '3', Infinity);
		expect(store.get('a', Infinity)).toBe('1');
		store.put('d', '4', Infinity);
		expect([store.get('a', Infinity), store.get('b', Infinity), store.get('c', Infinity), store.get('d', Infinity)]).toEqual([
			'1',
			undefined,
			'3',
			'4',
		]);
		expect(store.bytes).toBe(3 * ENTRY);
	});

	it('never keeps an answer larger than the whole bound, and keeps what it held', () => {
		const { store } = storeOf(3 * ENTRY);
		store.put('a', '1', Infinity);
		store.put('big', 'x'.repeat(10), Infinity);
		expect(store.get('big', Infinity)).toBeUndefined();
		expect(store.get('a', Infinity)).toBe('1');
	});

	it('hands the answer of a request in flight to those waiting, once, then forgets it', async () => {
		const { store } = storeOf(1_000);
		const done = store.lead('k');
		const waiting = store.pending('k');
		expect(waiting).toBeDefined();
		done('answer');
		await expect(waiting).resolves.toBe('answer');
		expect(store.pending('k')).toBeUndefined();
	});

	it('tells the waiters when the request in flight failed', async () => {
		const { store } = storeOf(1_000);
		const done = store.lead('k');
		const waiting = store.pending('k');
		done(undefined);
		await expect(waiting).resolves.toBeUndefined();
	});

	it('sweeps expired answers on a later look-up, without a timer', () => {
		const { clock, store } = storeOf(1_000);
		store.put('a', '1', 10);
		store.put('b', '2', 10 * 60_000);
		clock.time += 61_000;
		store.get('b', Infinity);
		expect(store.size).toBe(1);
	});
});
