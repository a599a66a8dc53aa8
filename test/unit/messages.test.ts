import { fromJson, fromPrompt, fromRows, MessageInputError, promptFromItem } from '../../nodes/HumirisChat/helpers/messages';

describe('fromPrompt', () => {
	it('puts the system message first when there is one', () => {
		expect(fromPrompt('Hi', 'Be brief')).toEqual([
			{ role: 'system', content: 'Be brief' },
			{ role: 'user', content: 'Hi' },
		]);
		expect(fromPrompt('Hi', '  ')).toEqual([{ role: 'user', content: 'Hi' }]);
	});

	it('sends non-string prompts as JSON text', () => {
		expect(fromPrompt({ a: 1 }, '')).toEqual([{ role: 'user', content: '{"a":1}' }]);
		expect(fromPrompt(42, undefined)).toEqual([{ role: 'user', content: '42' }]);
	});

	it('refuses an empty prompt in words that say how to fix it', () => {
		expect(() => fromPrompt(undefined, '')).toThrow(/prompt is empty.*\{\{ \$json\.text \}\}/);
		expect(() => fromPrompt('   ', 'sys')).toThrow(MessageInputError);
	});
});

describe('fromRows', () => {
	it('keeps the order and roles of the list and skips empty rows', () => {
		expect(
			fromRows([
				{ role: 'system', content: 'S' },
				{ role: 'user', content: '' },
				{ role: 'assistant', content: 'A' },
				{ role: 'user', content: 'U' },
			]),
		).toEqual([
			{ role: 'system', content: 'S' },
			{ role: 'assistant', content: 'A' },
			{ role: 'user', content: 'U' },
		]);
	});

	it('refuses a list with nothing to send and an unknown role', () => {
		expect(() => fromRows([{ role: 'user', content: ' ' }])).toThrow(/at least one message/);
		expect(() => fromRows([{ role: 'robot', content: 'x' }])).toThrow(/Message 0: role "robot"/);
	});
});

describe('fromJson', () => {
	const history = [
		{ role: 'system', content: 'S' },
		{ role: 'user', content: [{ type: 'text', text: 'look' }] },
		{ role: 'assistant', content: null, tool_calls: [{ id: 't1' }] },
		{ role: 'tool', content: '42', tool_call_id: 't1' },
	];

	it('accepts arrays and JSON text, passing extra OpenAI fields through', () => {
		expect(fromJson(history)).toEqual(history);
		expect(fromJson(JSON.stringify(history))).toEqual(history);
	});

	it.each([
		['{not json', /not valid JSON/],
		[{ role: 'user', content: 'x' }, /must be an array of messages, got an object/],
		['"text"', /must be an array of messages, got a string/],
		[[], /empty array/],
		[['hello'], /Message 0 must be an object.*got a string/],
		[[{ role: 'user', content: 'a' }, { content: 'b' }], /Message 1 has no "role"/],
		[[{ role: 'bot', content: 'b' }], /Message 0 has an unknown role "bot"/],
		[[{ role: 'user' }], /Message 0 has no "content"/],
		[[{ role: 'user', content: 5 }], /Message 0: "content" must be a string or an array of content parts, got a number/],
		[[{ role: 'user', content: null }], /got null/],
		[[{ role: 'user', content: [{ text: 'no type' }] }], /Message 0, content part 0/],
	])('explains what is wrong with %j', (input, expected) => {
		expect(() => fromJson(input)).toThrow(expected);
	});
});

describe('promptFromItem', () => {
	it('takes the first of chatInput, prompt and text that has text', () => {
		expect(promptFromItem({ chatInput: 'a', prompt: 'b', text: 'c' })).toBe('a');
		expect(promptFromItem({ chatInput: '', prompt: null, text: 'c' })).toBe('c');
		expect(promptFromItem({ prompt: { q: 1 } })).toEqual({ q: 1 });
	});

	it('says which fields it looked in and how to choose another', () => {
		expect(() => promptFromItem({ body: 'x' })).toThrow(
			'The item has no text in its "chatInput", "prompt", "text" fields. Set Prompt Source to Define Below to say what to send.',
		);
	});
});
