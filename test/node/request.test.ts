import { expectLeakScanCoverage, outputJson, runChat, sentBodies, useSimulator } from './setup';

const simulator = useSimulator();

describe('request body', () => {
	it('sends only the model and the messages when no option is set', async () => {
		await runChat(simulator());

		expect(sentBodies(simulator())).toEqual([
			{ model: 'Humiris/humiris-moai', messages: [{ role: 'user', content: 'Hello' }] },
		]);
	});

	it('maps every option onto its OpenAI field, node fields winning over Additional Body Fields', async () => {
		const result = await runChat(simulator(), {
			items: [{ chatInput: 'Classify: my payment failed' }],
			parameters: {
				options: {
					temperature: 0.2,
					maxTokens: 300,
					topP: 0.9,
					frequencyPenalty: 0.5,
					presencePenalty: -0.5,
					stop: ['END', 'STOP'],
					seed: 42,
					responseFormat: 'json_object',
					additionalBodyFields: '{"logprobs": true, "user": "ticket-7", "temperature": 1.5, "max_tokens": 5}',
				},
			},
		});

		expect(result.status).toBe('success');
		expect(sentBodies(simulator())).toEqual([
			{
				model: 'Humiris/humiris-moai',
				messages: [{ role: 'user', content: 'Classify: my payment failed' }],
				temperature: 0.2,
				max_tokens: 300,
				top_p: 0.9,
				frequency_penalty: 0.5,
				presence_penalty: -0.5,
				stop: ['END', 'STOP'],
				seed: 42,
				response_format: { type: 'json_object' },
				logprobs: true,
				user: 'ticket-7',
			},
		]);
	});

	it('sends the model it is given, and outputs the model the API echoes', async () => {
		const result = await runChat(simulator(), { parameters: { model: 'Humiris/support-mix' } });

		expect(sentBodies(simulator())[0].model).toBe('Humiris/support-mix');
		expect(outputJson(result)[0].model).toBe('Humiris/support-mix');
	});

	it.each([
		['an array', '[{"logprobs": true}]', 'must be a JSON object such as {"logprobs": true}, got an array.'],
		['not JSON', '{logprobs: true', 'is not valid JSON. Expected an object such as {"logprobs": true}.'],
	])('refuses Additional Body Fields that are %s, before sending anything', async (_name, fields, said) => {
		const result = await runChat(simulator(), { parameters: { options: { additionalBodyFields: fields } } });

		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({
			message: `Item 0: "Additional Body Fields" ${said}`,
			itemIndex: 0,
		});
		expect(simulator().completions()).toEqual([]);
	});
});

describe('headers', () => {
	it('sends the apikey and mixTuningId headers on every request', async () => {
		const result = await runChat(simulator(), {
			items: [{ chatInput: 'one' }, { chatInput: 'two' }, { chatInput: 'three' }],
		});

		expect(result.status).toBe('success');
		const sim = simulator();
		expect(sim.completions().map(({ headers }) => [headers.apikey, headers.mixtuningid])).toEqual([
			[sim.apiKey, sim.mixTuningId],
			[sim.apiKey, sim.mixTuningId],
			[sim.apiKey, sim.mixTuningId],
		]);
	});

	it("replaces the credential's mixTuningId with the override, per item, sending one header only", async () => {
		const sim = simulator();
		const [credentialMix, otherMix] = sim.mixTuningIds;
		const result = await runChat(sim, {
			items: [{ chatInput: 'override', mix: otherMix }, { chatInput: 'credential', mix: credentialMix }],
			parameters: { options: { mixTuningId: '={{ $json.mix }}', concurrency: 1 } },
		});

		expect(result.status).toBe('success');
		// Node joins repeated headers with ", ", so two mixTuningId headers would not compare equal.
		expect(sim.completions().map(({ headers }) => [headers.apikey, headers.mixtuningid])).toEqual([
			[sim.apiKey, otherMix],
			[sim.apiKey, credentialMix],
		]);
	});
});

expectLeakScanCoverage(['output', 'error', 'log']);
