import { readAnswer } from '../../nodes/shared/transport/answer-body';

/** A body stream that counts what the reader pulled from it, and whether it was closed. */
function countingStream(chunks: number, chunkBytes: number, failAfter?: number) {
	const state = { pulled: 0, destroyed: false };
	async function* produce() {
		for (let index = 0; index < chunks; index++) {
			if (state.destroyed) return;
			if (failAfter !== undefined && index === failAfter) throw new Error('aborted');
			state.pulled += chunkBytes;
			yield new Uint8Array(chunkBytes).fill(0x61);
		}
	}
	const iterator = produce();
	const stream = {
		[Symbol.asyncIterator]: () => iterator,
		destroy: () => {
			state.destroyed = true;
		},
	};
	return { stream, state };
}

const live = () => new AbortController().signal;

describe('reading an answer', () => {
	it('reads a body within the limit whole, as text', async () => {
		const { stream } = countingStream(3, 4);
		await expect(readAnswer(stream, {}, live(), 100)).resolves.toEqual({ ok: true, body: 'aaaaaaaaaaaa' });
	});

	it('stops pulling as soon as the body passes the limit, and closes it', async () => {
		const { stream, state } = countingStream(1000, 10);
		await expect(readAnswer(stream, {}, live(), 55)).resolves.toMatchObject({ ok: false, reason: 'too-large', bytes: 60 });
		expect(state).toEqual({ pulled: 60, destroyed: true });
	});

	it('reads nothing of a body whose Content-Length is past the limit', async () => {
		const { stream, state } = countingStream(1000, 10);
		await expect(readAnswer(stream, { 'content-length': '101' }, live(), 100)).resolves.toMatchObject({ reason: 'too-large' });
		expect(state).toEqual({ pulled: 0, destroyed: true });
	});

	it('reports a stream that fails before its end as cut, with what had arrived', async () => {
		const { stream } = countingStream(10, 2, 3);
		await expect(readAnswer(stream, {}, live(), 100)).resolves.toEqual({ ok: false, reason: 'cut', text: 'aaaaaa', bytes: 6 });
	});

	it('closes the stream when the signal fires', async () => {
		const { stream, state } = countingStream(10, 2);
		const controller = new AbortController();
		controller.abort();
		await readAnswer(stream, {}, controller.signal, 100);
		expect(state.destroyed).toBe(true);
	});

	it('keeps a multi-byte character split across chunks whole', async () => {
		const bytes = new TextEncoder().encode('é');
		const chunks = [bytes.subarray(0, 1), bytes.subarray(1)];
		const stream = { [Symbol.asyncIterator]: async function* () { yield* chunks; }, destroy: () => undefined };
		await expect(readAnswer(stream, {}, live(), 100)).resolves.toEqual({ ok: true, body: 'é' });
	});

	it('passes on a body that is not a stream (an evaluation mock) as it is', async () => {
		const body = { choices: [] };
		await expect(readAnswer(body, {}, live())).resolves.toEqual({ ok: true, body });
	});
});
