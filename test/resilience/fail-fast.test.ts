import type { IDataObject } from 'n8n-workflow';

import { startSimulator, type Simulator } from '../simulator';
import { errorOf, numbered, outputOf, promptOf, replyTo, runChat } from './harness';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ seed: 9 });
});
afterAll(() => sim.close());
beforeEach(() => {
	sim.reset();
	// Long enough that all five lanes are in flight before the first rejection comes back.
	sim.setLatency(30);
});

const BAD_KEY = 'wrong-dummy-key';
const UNKNOWN_MIX = 'mix-unknown';
const POOL = { concurrency: 5, maxRetries: 2, maxRetryWait: 20 };

/** The error item minus the attempt count, which legitimately differs between items. */
function sharedPart(item: { json: IDataObject }): IDataObject {
	const rest = { ...errorOf(item) };
	delete rest.attempts;
	return rest;
}

describe.each([
	['a rejected API key', { apiKey: BAD_KEY }, 'UNAUTHORIZED', 401, 'Humiris rejected the API key'],
	['an unknown MixTuning ID', { mixTuningId: UNKNOWN_MIX }, 'MIX_TUNING_NOT_FOUND', 404, 'Humiris does not know this MixTuning ID'],
])('%s', (_name, credential, code, status, message) => {
	it('costs at most one request per lane, and every item gets the same error in order', async () => {
		const output = outputOf(await runChat(sim, numbered(50), { ...credential, options: POOL }));

		expect(sim.completions().length).toBeGreaterThanOrEqual(1);
		expect(sim.completions().length).toBeLessThanOrEqual(5);
		expect(output.map(({ pairedItem }) => pairedItem)).toEqual(
			Array.from({ length: 50 }, (_, item) => ({ item })),
		);
		expect(errorOf(output[0])).toMatchObject({ code, status, retryable: false, message: expect.stringContaining(message) });
		expect(output.map(sharedPart)).toEqual(Array(50).fill(sharedPart(output[0])));
	});

	it('stops the run with the first item\'s error without continue on fail', async () => {
		const result = await runChat(sim, numbered(50), { ...credential, options: POOL, continueOnFail: false });

		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({
			itemIndex: 0,
			httpCode: String(status),
			message: expect.stringContaining(message),
		});
		expect(sim.completions().length).toBeLessThanOrEqual(5);
	});
});

it('says which items were never sent: attempts 1 for the requests made, 0 for the rest', async () => {
	const output = outputOf(await runChat(sim, numbered(50), { apiKey: BAD_KEY, options: POOL }));

	const sent = new Set(sim.completions().map(promptOf));
	expect(output.map((item) => errorOf(item).attempts)).toEqual(
		numbered(50).map((prompt) => (sent.has(prompt) ? 1 : 0)),
	);
});

it('blocks only the MixTuning ID that was not found, not the other items', async () => {
	const items = numbered(20).map((prompt, index) => ({
		prompt,
		mix: index % 2 === 0 ? UNKNOWN_MIX : 'mix-demo-2',
	}));

	const output = outputOf(
		await runChat(sim, items, { options: { ...POOL, mixTuningId: '={{ $json.mix }}' } }),
	);

	expect(output.map(({ json }) => json.content ?? errorOf({ json }).code)).toEqual(
		items.map(({ prompt, mix }) => (mix === UNKNOWN_MIX ? 'MIX_TUNING_NOT_FOUND' : replyTo(prompt))),
	);
	const unknownSent = sim.completions().filter(({ headers }) => headers.mixtuningid === UNKNOWN_MIX);
	expect(unknownSent.length).toBeLessThanOrEqual(5);
	expect(sim.completions().filter(({ headers }) => headers.mixtuningid === 'mix-demo-2')).toHaveLength(10);
});

describe('without continue on fail', () => {
	it('launches nothing new after any item fails, even with a failure that blocks nothing', async () => {
		const prompts = numbered(50);
		prompts[0] = 'item 0 [[sim:status=400]]';

		const result = await runChat(sim, prompts, { options: POOL, continueOnFail: false });

		expect(result.error).toMatchObject({ itemIndex: 0, httpCode: '400' });
		// The five first lanes, plus at most one refill each before the failure was read.
		expect(sim.completions().length).toBeLessThanOrEqual(10);
	});

	it('reports the failure of the lowest item, not the one that failed first', async () => {
		const prompts = numbered(5);
		// Both fail for good; item 3 answers first.
		prompts[1] = 'item 1 [[sim:latency ms=60]] [[sim:status=422]]';
		prompts[3] = 'item 3 [[sim:status=400]]';

		const result = await runChat(sim, prompts, { options: POOL, continueOnFail: false });

		expect(result.error).toMatchObject({ itemIndex: 1, httpCode: '422' });
	});

	it('reports the failure that lost the run, not a retry it cut short', async () => {
		const prompts = numbered(5);
		// Item 1 would fail only after a retry; item 3 fails on its first answer and loses the run.
		prompts[1] = 'item 1 [[sim:status=503]]';
		prompts[3] = 'item 3 [[sim:status=400]]';

		const result = await runChat(sim, prompts, {
			options: { ...POOL, maxRetries: 1 },
			continueOnFail: false,
		});

		expect(result.error).toMatchObject({ itemIndex: 3, httpCode: '400' });
		expect(sim.completions().filter((request) => promptOf(request) === prompts[1])).toHaveLength(1);
	});
});
