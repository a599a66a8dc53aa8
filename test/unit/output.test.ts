import { parseJsonReply, placeResult, shapeResult } from '../../nodes/HumirisChat/helpers/output';
import type { ChatCompletion } from '../../nodes/shared/api-types';

const completion = (content: string | null, finishReason = 'stop'): ChatCompletion => ({
	id: 'chatcmpl-1',
	object: 'chat.completion',
	created: 1,
	model: 'Humiris/humiris-moai',
	choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason, stop_reason: '\n' }],
	usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
});

describe('parseJsonReply', () => {
	it('parses plain and fenced JSON objects', () => {
		expect(parseJsonReply('{"a":1}')).toEqual({ a: 1 });
		expect(parseJsonReply('```json\n{"a": 1}\n```')).toEqual({ a: 1 });
		expect(parseJsonReply('  ```\n{"b": [1]}\n```  ')).toEqual({ b: [1] });
	});

	it('fails loudly on anything that is not a JSON object', () => {
		expect(() => parseJsonReply('Sure! {"a":1}')).toThrow(/not valid JSON: "Sure! \{\\"a\\":1\}"/);
		expect(() => parseJsonReply('[1]')).toThrow(/replied with an array/);
		expect(() => parseJsonReply(null)).toThrow(/not valid JSON/);
	});
});

describe('shapeResult', () => {
	it('simplifies to answer, reasons, usage in camelCase, model and id', () => {
		expect(shapeResult(completion('Hello'), { simplify: true, jsonReply: false })).toEqual({
			content: 'Hello',
			finishReason: 'stop',
			stopReason: '\n',
			truncated: false,
			usage: { promptTokens: 5, completionTokens: 7, totalTokens: 12 },
			model: 'Humiris/humiris-moai',
			id: 'chatcmpl-1',
		});
	});

	it('flags truncation and parses JSON replies', () => {
		const shaped = shapeResult(completion('{"x":true}', 'length'), { simplify: true, jsonReply: true });
		expect(shaped).toMatchObject({ content: { x: true }, finishReason: 'length', truncated: true });
	});

	it('returns the whole response untouched when not simplifying, a JSON reply still checked', () => {
		const raw = completion('{"x":1}');
		expect(shapeResult(raw, { simplify: false, jsonReply: true })).toBe(raw);
		expect(() => shapeResult(completion('not json'), { simplify: false, jsonReply: true })).toThrow(/not valid JSON/);
		expect(shapeResult(completion('not json'), { simplify: false, jsonReply: false })).toMatchObject({ object: 'chat.completion' });
	});
});

describe('placeResult', () => {
	it('replaces the item, or keeps its fields with the result under a field', () => {
		expect(placeResult({ id: 1 }, { content: 'x' }, undefined)).toEqual({ content: 'x' });
		expect(placeResult({ id: 1 }, { content: 'x' }, 'reply')).toEqual({ id: 1, reply: { content: 'x' } });
	});
});
