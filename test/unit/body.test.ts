import { buildRequestBody } from '../../nodes/HumirisChat/helpers/body';
import type { ChatMessage } from '../../nodes/shared/api-types';
import { SAMPLING_SETTINGS } from '../../nodes/shared/settings/sampling';

const messages: ChatMessage[] = [{ role: 'user', content: 'Hi' }];

describe('buildRequestBody', () => {
	it('sends only model and messages when no option is set', () => {
		expect(buildRequestBody('m', messages, {})).toEqual({ model: 'm', messages });
	});

	it('asks for a JSON Schema with OpenAI\'s response_format, over any set in Additional Body Fields', () => {
		const schema = { type: 'object', properties: { a: { type: 'string' } } };
		expect(
			buildRequestBody('m', messages, { responseFormat: 'json_schema', additionalBodyFields: '{"response_format": {"type": "text"}}' }, schema),
		).toEqual({
			model: 'm',
			messages,
			response_format: { type: 'json_schema', json_schema: { name: 'response', schema, strict: false } },
		});
	});

	it('maps every option to its OpenAI name', () => {
		expect(
			buildRequestBody('m', messages, {
				temperature: 0.2,
				maxTokens: 50,
				topP: 0.9,
				frequencyPenalty: 0.5,
				presencePenalty: -0.5,
				stop: SAMPLING_SETTINGS.stop.read(['END', '']),
				seed: 7,
				responseFormat: 'json_object',
			}),
		).toEqual({
			model: 'm',
			messages,
			temperature: 0.2,
			max_tokens: 50,
			top_p: 0.9,
			frequency_penalty: 0.5,
			presence_penalty: -0.5,
			stop: ['END'],
			seed: 7,
			response_format: { type: 'json_object' },
		});
	});

	it('keeps a zero temperature and seed, and sends no empty stop list', () => {
		expect(buildRequestBody('m', messages, { temperature: 0, seed: 0, stop: SAMPLING_SETTINGS.stop.read([]) })).toEqual({
			model: 'm',
			messages,
			temperature: 0,
			seed: 0,
		});
	});

	it('merges additional body fields under the fields the node sets itself', () => {
		expect(
			buildRequestBody('m', messages, {
				temperature: 1,
				additionalBodyFields: '{"logprobs": true, "temperature": 0, "model": "x"}',
			}),
		).toEqual({ model: 'm', messages, logprobs: true, temperature: 1 });
		expect(buildRequestBody('m', messages, { additionalBodyFields: { user: 'u1' } })).toMatchObject({ user: 'u1' });
	});

	it.each([
		['[1, 2]', /must be a JSON object.*got an array/],
		['"text"', /must be a JSON object.*got string/],
		['{oops', /not valid JSON/],
	])('rejects additional body fields %s', (value, expected) => {
		expect(() => buildRequestBody('m', messages, { additionalBodyFields: value })).toThrow(expected);
	});
});
