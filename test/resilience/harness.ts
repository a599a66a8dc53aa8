import { sleep, type IDataObject, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';

import { HumirisApi } from '../../credentials/HumirisApi.credentials';
import { HumirisChat } from '../../nodes/HumirisChat/HumirisChat.node';
import { RequestGovernor } from '../../nodes/shared/transport/governor';
import { runWorkflow, type RunResult } from '../engine';
import { startSimulator, type RecordedRequest, type Simulator, type SimulatorOptions } from '../simulator';

const REPLY_PREFIX = 'MoAI answer to: ';

/** The simulator's own clock: what `receivedAt` is measured on. */
function now(): number {
	return performance.timeOrigin + performance.now();
}

export interface TrackedSimulator {
	sim: Simulator;
	/** `sim.reset()`, forgetting the end times too. */
	reset(): void;
	/** When the simulator finished answering (or lost) a request, on the `receivedAt` clock. */
	doneAt(request: RecordedRequest): number;
	/** Requests in the order their responses ended. */
	finished(): RecordedRequest[];
}

/** A simulator that also records when each request ended, which its log alone does not say. */
async function startTrackedSimulator(options: SimulatorOptions = {}): Promise<TrackedSimulator> {
	const ended = new Map<RecordedRequest, number>();
	const sim = await startSimulator({
		...options,
		onRequestDone: (request) => ended.set(request, now()),
	});
	return {
		sim,
		reset() {
			ended.clear();
			sim.reset();
		},
		doneAt(request) {
			const at = ended.get(request);
			if (at === undefined) throw new Error(`Request ${request.seq} has not ended.`);
			return at;
		},
		finished: () => [...ended.keys()],
	};
}

/** One tracked simulator per test file, emptied between tests; call at the top of the file. */
export function useTrackedSimulator(options: SimulatorOptions = {}): () => TrackedSimulator {
	let tracked: TrackedSimulator | undefined;
	beforeAll(async () => {
		tracked = await startTrackedSimulator(options);
	});
	afterAll(() => tracked?.sim.close());
	beforeEach(() => tracked?.reset());
	return () => {
		if (!tracked) throw new Error('The simulator is not running: call useTrackedSimulator() at the top of the file');
		return tracked;
	};
}

export interface ChatRunOptions {
	/** The node's Options collection (concurrency, maxRetries, maxRetryWait, timeout, ...). */
	options?: INodeParameters;
	/** Defaults to true: most checks want every item's outcome, failures included. */
	continueOnFail?: boolean;
	signal?: AbortSignal;
	apiKey?: string;
	mixTuningId?: string;
	/** More credential fields, such as the governor's maxConcurrent and requestsPerMinute. */
	credentialFields?: IDataObject;
}

/**
 * Runs one Humiris Chat node in prompt mode against the simulator; a string input becomes
 * the item `{prompt}`, which the node's default Prompt expression picks up.
 */
export async function runChat(
	sim: Simulator,
	inputs: Array<string | IDataObject>,
	{ options = {}, continueOnFail = true, signal, apiKey, mixTuningId, credentialFields }: ChatRunOptions = {},
): Promise<RunResult> {
	return await runWorkflow({
		nodeTypes: [HumirisChat],
		credentialTypes: [HumirisApi],
		credentials: {
			humirisApi: {
				apiKey: apiKey ?? sim.apiKey,
				mixTuningId: mixTuningId ?? sim.mixTuningId,
				baseUrl: sim.url,
				...credentialFields,
			},
		},
		items: inputs.map((input) => (typeof input === 'string' ? { prompt: input } : input)),
		node: {
			type: 'humirisChat',
			parameters: { messageMode: 'prompt', options },
			...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		},
		signal,
	});
}

/** The node's main output; a run that did not succeed fails the test with its error. */
export function outputOf(result: RunResult): Array<Pick<INodeExecutionData, 'json' | 'pairedItem'>> {
	if (result.status !== 'success') {
		throw new Error(`Run ended with status ${result.status}: ${result.error?.message ?? 'no error'}`);
	}
	return result.items[0] ?? [];
}

/** The error object of a continue-on-fail error item. */
export function errorOf(item: { json: IDataObject }): IDataObject {
	return item.json.error as IDataObject;
}

/** What the simulator answers a prompt with: its text, directives stripped. */
export function replyTo(prompt: string): string {
	return REPLY_PREFIX + prompt.replace(/\[\[sim:[^\]]*\]\]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** The last user message a logged request carried, directives included. */
export function promptOf(request: RecordedRequest): string {
	const { messages } = request.body as { messages: Array<{ role: string; content: string }> };
	return messages.filter(({ role }) => role === 'user').at(-1)?.content ?? '';
}

/** The completion requests sent for one prompt, in the order the simulator received them. */
export function attemptsFor(sim: Simulator, prompt: string): RecordedRequest[] {
	return sim.completions().filter((request) => promptOf(request) === prompt);
}

/** Polls until `condition` holds; throws naming `what` if it still does not after `withinMs`. */
export async function until(condition: () => boolean, what: string, withinMs = 5_000): Promise<void> {
	const deadline = Date.now() + withinMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}.`);
		await sleep(5);
	}
}

/** Whether `promise` settles within `ms`, without leaving a timer behind that outlives it by much. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
	const timeout = sleep(ms).then(() => false);
	return await Promise.race([promise.then(() => true), timeout]);
}

export function numbered(count: number, label = 'item'): string[] {
	return Array.from({ length: count }, (_, index) => `${label} ${index}`);
}

/**
 * When the credential's governor let each request go, and when a request's slot came back
 * rate limited (the node had read the 429 and the pause began), on the governor's clock.
 * Restored after each test.
 */
export function recordGovernorStarts(): { granted: number[]; rateLimited: number[] } {
	const starts = { granted: [] as number[], rateLimited: [] as number[] };
	const acquire = RequestGovernor.prototype.acquire;
	jest.spyOn(RequestGovernor.prototype, 'acquire').mockImplementation(async function (this: RequestGovernor, ...args) {
		const admission = await acquire.apply(this, args);
		if (!admission.granted) return admission;
		starts.granted.push(Date.now());
		const { slot } = admission;
		return {
			...admission,
			slot: {
				release: (outcome, pauseMs) => {
					if (outcome === 'rate-limited') starts.rateLimited.push(Date.now());
					slot.release(outcome, pauseMs);
				},
			},
		};
	});
	return starts;
}

/** The grants that fell in the `ms` after `from`: none while the credential is paused. */
export function grantsWithin(granted: number[], from: number, ms: number): number[] {
	return granted.filter((at) => at > from && at < from + ms);
}

// recordGovernorStarts' spy ends with its test.
afterEach(() => jest.restoreAllMocks());
