import { runChat, sentBodies, useSimulator } from './setup';

const simulator = useSimulator();

// The node reads a parameter saved without an expression once per run (it cannot differ
// between items); these check that every parameter holding an expression still follows its item.
describe('parameters read per item or once per run', () => {
	it('resolves an expression per item next to fixed values shared by every item', async () => {
		const result = await runChat(simulator(), {
			items: [
				{ prompt: 'first', model: 'model-a' },
				{ prompt: 'second', model: 'model-b' },
				{ prompt: 'third', model: 'model-c' },
			],
			parameters: {
				model: '={{ $json.model }}',
				systemMessage: 'Fixed instructions.',
				options: { temperature: 0.4, concurrency: 1 },
			},
		});

		expect(result.status).toBe('success');
		expect(sentBodies(simulator())).toEqual(
			['first', 'second', 'third'].map((prompt, index) => ({
				model: `model-${'abc'[index]}`,
				temperature: 0.4,
				messages: [
					{ role: 'system', content: 'Fixed instructions.' },
					{ role: 'user', content: prompt },
				],
			})),
		);
	});

	it('resolves the whole Options collection per item when one option is an expression', async () => {
		const result = await runChat(simulator(), {
			items: [
				{ prompt: 'cool', t: 0.1 },
				{ prompt: 'warm', t: 0.9 },
			],
			parameters: { options: { temperature: '={{ $json.t }}', maxTokens: 50, concurrency: 1 } },
		});

		expect(result.status).toBe('success');
		expect(sentBodies(simulator()).map(({ temperature, max_tokens }) => [temperature, max_tokens])).toEqual([
			[0.1, 50],
			[0.9, 50],
		]);
	});
});
