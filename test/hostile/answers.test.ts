import { MAX_ANSWER_BYTES, TRANSPORT_MESSAGES, USER_MESSAGES } from '../../nodes/shared/user-messages';
import { expectLeakScanCoverage } from '../node/setup';
import type { Fault } from '../simulator';
import { against, MARGIN_MS, NODES, TIMEOUT_MS, useHostileSimulator } from './setup';

/**
 * Answers that start like Humiris's and go wrong on the way: too slow to finish, cut,
 * too large, a stream, empty, broken. Each ends within the Timeout with its own words.
 */
const sim = useHostileSimulator();
const TIMEOUT_S = TIMEOUT_MS / 1000;

/** How far before the Timeout a deadline may fire: timers are not early, but clocks differ by a tick. */
const EARLY_MS = 50;

describe.each(NODES)('%s', (client) => {
	it('a body sent one byte at a time ends at the Timeout, counted to the last byte', async () => {
		// A byte every 300 ms keeps an idle timer of 1.5 s from ever firing.
		const outcome = await against(sim(), client, { kind: 'trickle', ms: 300 });

		expect(outcome).toMatchObject({
			status: 'Error',
			code: 'TIMEOUT',
			message: TRANSPORT_MESSAGES.answerNotFinishedInTime(TIMEOUT_S),
		});
		expect(outcome.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - EARLY_MS);
		expect(outcome.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
	});

	it('the same trickle, fast enough to end inside the Timeout, is a completion (the control)', async () => {
		const outcome = await against(sim(), client, { kind: 'trickle', ms: 1 }, { timeout: 20_000 });

		expect(outcome).toMatchObject({ status: 'OK', content: 'MoAI answer to: Hello' });
	});

	it.each<Fault>([
		{ kind: 'cut', framing: 'length' },
		{ kind: 'cut', framing: 'chunked' },
	])('a body cut mid-JSON ($framing) is reported as cut, maybe processed', async (fault) => {
		const outcome = await against(sim(), client, fault);

		expect(outcome).toMatchObject({ status: 'Error', code: 'ANSWER_CUT' });
		expect(outcome.message).toMatch(/^The connection closed while Humiris was sending its answer \(after \d+ bytes\)/);
		expect(outcome.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
	});

	it.each<Fault>([
		{ kind: 'oversize', mb: 32, framing: 'chunked' },
		{ kind: 'oversize', mb: 32, framing: 'length' },
	])(`an answer past ${MAX_ANSWER_BYTES / 2 ** 20} MB ($framing) fails the item, unread`, async (fault) => {
		const outcome = await against(sim(), client, fault);

		expect(outcome).toMatchObject({ status: 'Error', code: 'ANSWER_TOO_LARGE', message: TRANSPORT_MESSAGES.answerTooLarge() });
		expect(outcome.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
	});

	it.each<[string, Fault, string, string]>([
		['an event stream', { kind: 'event-stream' }, 'EVENT_STREAM', TRANSPORT_MESSAGES.eventStream()],
		['an empty 200', { kind: 'empty' }, 'EMPTY_RESPONSE', TRANSPORT_MESSAGES.emptyAnswer],
		['a 200 with broken JSON', { kind: 'reply', shape: 'broken-json' }, 'BROKEN_JSON', TRANSPORT_MESSAGES.brokenJson(200)],
	])('%s has its own message', async (_name, fault, code, message) => {
		const outcome = await against(sim(), client, fault);

		expect(outcome).toMatchObject({ status: 'Error', code, message });
		expect(outcome.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
	});
});

describe('Humiris Chat, a cut answer is a dropped connection after sending', () => {
	it('is not sent again by default: Humiris may have processed, and billed, it', async () => {
		const outcome = await against(sim(), 'Humiris Chat', { kind: 'cut', framing: 'length' }, { maxRetries: 2, maxRetryWait: 10 });

		expect(outcome.code).toBe('ANSWER_CUT');
		expect(sim().completions()).toHaveLength(1);
	});

	it('is sent again with Retry Timeouts and Dropped Connections on', async () => {
		const outcome = await against(
			sim(),
			'Humiris Chat',
			{ kind: 'cut', framing: 'length' },
			{ maxRetries: 2, maxRetryWait: 10, retryUnconfirmed: true },
		);

		expect(outcome.code).toBe('ANSWER_CUT');
		expect(sim().completions()).toHaveLength(3);
	});
});

/**
 * n8n's credential test reads the answer itself and judges it by status code and by one body
 * field at a time: it has no size bound to set and shows only n8n's own error code when the
 * request fails without a status. What each shape gives there, within its deadline:
 */
describe('the credential test', () => {
	it.each<[string, Fault, string]>([
		// n8n's error code for an aborted request: the credential's deadline ended it.
		['a trickle, at its deadline', { kind: 'trickle', ms: 300 }, 'ERR_CANCELED'],
		// axios's words for a body that stopped early: the test shows the error's message.
		['a body cut mid-JSON', { kind: 'cut', framing: 'length' }, 'stream has been aborted'],
		['an event stream', { kind: 'event-stream' }, USER_MESSAGES.notACompletion],
		['an empty 200', { kind: 'empty' }, TRANSPORT_MESSAGES.emptyAnswer],
		['a 200 with broken JSON', { kind: 'reply', shape: 'broken-json' }, USER_MESSAGES.notACompletion],
	])('fails on %s', async (_name, fault, message) => {
		const outcome = await against(sim(), 'credential test', fault);

		expect(outcome).toMatchObject({ status: 'Error', message });
		expect(outcome.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
	});

	it('cannot bound the size: a 32 MB completion is read whole and passes', async () => {
		const outcome = await against(sim(), 'credential test', { kind: 'oversize', mb: 32, framing: 'chunked' });

		expect(outcome).toMatchObject({ status: 'OK' });
		expect(outcome.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
	});
});

expectLeakScanCoverage(['error', 'output', 'credential-test', 'log']);
