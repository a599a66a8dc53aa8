import { startSimulator, type Fault, type Simulator } from '../simulator';
import { createRandom } from '../simulator/random';
import { numbered, outputOf, promptOf, replyTo, runChat } from './harness';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ seed: 7, latencyMs: { min: 1, max: 8 } });
});
afterAll(() => sim.close());

const FAULT_RATE = 0.2;
const MAX_RETRIES = 6;
const SEED = 7;
const KINDS = ['429', '500', '502', '503', 'drop'] as const;
type Kind = (typeof KINDS)[number];

function hash(text: string): number {
	let h = 2166136261;
	for (const char of text) h = Math.imul(h ^ char.charCodeAt(0), 16777619);
	return h >>> 0;
}

/**
 * The fault for the n-th attempt at a prompt. The simulator's own random plan draws faults
 * in arrival order, which shifts with timing; keying the draw on (prompt, attempt) makes
 * every item's fate, and so the exact number of requests it needs, known in advance.
 */
function plannedFault(prompt: string, attempt: number): Kind | undefined {
	const random = createRandom(hash(`${SEED}:${attempt}:${prompt}`));
	if (random() >= FAULT_RATE) return undefined;
	return KINDS[Math.floor(random() * KINDS.length)];
}

function toFault(kind: Kind): Fault {
	if (kind === 'drop') return { kind };
	// A short Retry-After keeps the soak fast while still pausing the whole pool each time.
	return kind === '429' ? { kind: 'status', status: 429, retryAfterMs: 20 } : { kind: 'status', status: Number(kind) };
}

function attemptsNeeded(prompt: string): number {
	let attempt = 1;
	while (plannedFault(prompt, attempt)) attempt++;
	return attempt;
}

it('answers every one of 200 items exactly once, in order, through random faults', async () => {
	const prompts = numbered(200, 'soak');
	const expected = new Map(prompts.map((prompt) => [prompt, attemptsNeeded(prompt)]));
	const injected = prompts.flatMap((prompt) =>
		Array.from({ length: expected.get(prompt)! - 1 }, (_, retry) => plannedFault(prompt, retry + 1)),
	);
	// The plan must exercise every fault kind, and never need more than the retries allowed.
	expect(new Set(injected)).toEqual(new Set(KINDS));
	expect(Math.max(...expected.values())).toBeLessThanOrEqual(1 + MAX_RETRIES);

	const seen = new Map<string, number>();
	sim.setFaults((request) => {
		const prompt = promptOf(request);
		const attempt = (seen.get(prompt) ?? 0) + 1;
		seen.set(prompt, attempt);
		const kind = plannedFault(prompt, attempt);
		return kind && toFault(kind);
	});

	const output = outputOf(
		await runChat(sim, prompts, {
			options: { concurrency: 10, maxRetries: MAX_RETRIES, maxRetryWait: 50, retryUnconfirmed: true },
		}),
	);

	expect(output.map(({ json, pairedItem }) => ({ content: json.content, pairedItem }))).toEqual(
		prompts.map((prompt, item) => ({ content: replyTo(prompt), pairedItem: { item } })),
	);
	const sentPerPrompt = new Map<string, number>();
	for (const request of sim.completions()) {
		sentPerPrompt.set(promptOf(request), (sentPerPrompt.get(promptOf(request)) ?? 0) + 1);
	}
	expect(sentPerPrompt).toEqual(expected);
	expect(sim.completions()).toHaveLength(prompts.length + injected.length);
	expect(sim.completions().filter(({ status }) => status === 200)).toHaveLength(prompts.length);
});
