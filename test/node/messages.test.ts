import type { IDataObject } from 'n8n-workflow';

import { expectLeakScanCoverage, outputJson, runChat, sentMessages, useSimulator } from './setup';

const simulator = useSimulator();

/** One request per item, in item order: concurrency 1 makes the log order the item order. */
const oneAtATime = { concurrency: 1 };

describe('Prompt mode', () => {
	it('reads chatInput, then prompt, then text from the item by default', async () => {
		const result = await runChat(simulator(), {
			items: [
				{ chatInput: 'from chatInput', prompt: 'not this', text: 'nor this' },
				{ prompt: 'from prompt', text: 'not this' },
				{ text: 'from text' },
			],
			parameters: { options: oneAtATime },
		});

		expect(result.status).toBe('success');
		expect(simulator().completions().map(sentMessages)).toEqual([
			[{ role: 'user', content: 'from chatInput' }],
			[{ role: 'user', content: 'from prompt' }],
			[{ role: 'user', content: 'from text' }],
		]);
		expect(outputJson(result).map(({ content }) => content)).toEqual([
			'MoAI answer to: from chatInput',
			'MoAI answer to: from prompt',
			'MoAI answer to: from text',
		]);
	});

	it('sends the system message first when one is set', async () => {
		await runChat(simulator(), {
			items: [{ ticket: 'My invoice is wrong' }],
			parameters: {
				promptType: 'define',
				prompt: '={{ "Ticket: " + $json.ticket }}',
				systemMessage: 'You triage support tickets.',
			},
		});

		expect(simulator().completions().map(sentMessages)).toEqual([
			[
				{ role: 'system', content: 'You triage support tickets.' },
				{ role: 'user', content: 'Ticket: My invoice is wrong' },
			],
		]);
	});

	it('fails an item with no prompt field naming the item, without sending it', async () => {
		const result = await runChat(simulator(), {
			items: [{ chatInput: 'fine' }, { somethingElse: 'no prompt field', text: '  ' }],
		});

		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({
			message:
				'Item 1: The item has no text in its "chatInput", "prompt", "text" fields. Set Prompt Source to Define Below to say what to send.',
			itemIndex: 1,
		});
		for (const request of simulator().completions()) {
			expect(sentMessages(request)).toEqual([{ role: 'user', content: 'fine' }]);
		}
	});

	it('fails a defined prompt that resolves to nothing, naming the item, without sending it', async () => {
		const result = await runChat(simulator(), {
			items: [{ body: 'fine' }, { other: 'no body' }],
			parameters: { promptType: 'define', prompt: '={{ $json.body }}' },
		});

		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({
			message: 'Item 1: The prompt is empty. Set "Prompt" to the text to send, for example {{ $json.text }}.',
			itemIndex: 1,
		});
		for (const request of simulator().completions()) {
			expect(sentMessages(request)).toEqual([{ role: 'user', content: 'fine' }]);
		}
	});
});

describe('Message List mode', () => {
	it('keeps the order and roles, resolving expressions in the content per item', async () => {
		const result = await runChat(simulator(), {
			items: [
				{ id: 7, subject: 'Refund' },
				{ id: 8, subject: 'Login' },
			],
			parameters: {
				messageMode: 'messages',
				messages: {
					message: [
						{ role: 'system', content: 'You triage tickets.' },
						{ role: 'user', content: '={{ "Ticket " + $json.id }}' },
						{ role: 'assistant', content: 'Which subject?' },
						{ role: 'user', content: '={{ $json.subject }}' },
					],
				},
				options: oneAtATime,
			},
		});

		expect(result.status).toBe('success');
		const conversation = (id: number, subject: string) => [
			{ role: 'system', content: 'You triage tickets.' },
			{ role: 'user', content: `Ticket ${id}` },
			{ role: 'assistant', content: 'Which subject?' },
			{ role: 'user', content: subject },
		];
		expect(simulator().completions().map(sentMessages)).toEqual([
			conversation(7, 'Refund'),
			conversation(8, 'Login'),
		]);
	});
});

describe('JSON mode', () => {
	it('sends the conversation history carried in $json.messages as it is', async () => {
		const history = [
			{ role: 'system', content: 'You are a support assistant.' },
			{ role: 'user', content: 'My order is late.' },
			{ role: 'assistant', content: 'Which order number?' },
			{ role: 'user', content: [{ type: 'text', text: 'Order 1234.' }] },
		];
		const result = await runChat(simulator(), {
			items: [{ messages: history }],
			parameters: { messageMode: 'json' },
		});

		expect(result.status).toBe('success');
		expect(simulator().completions().map(sentMessages)).toEqual([history]);
		expect(outputJson(result)[0].content).toBe('MoAI answer to: Order 1234.');
	});

	it('parses a JSON text typed into the field', async () => {
		const result = await runChat(simulator(), {
			parameters: {
				messageMode: 'json',
				messagesJson: '[{"role": "developer", "content": "Be short."}, {"role": "user", "content": "Typed in"}]',
			},
		});

		expect(result.status).toBe('success');
		expect(simulator().completions().map(sentMessages)).toEqual([
			[
				{ role: 'developer', content: 'Be short.' },
				{ role: 'user', content: 'Typed in' },
			],
		]);
	});

	const good = [{ role: 'user', content: 'A good question' }];

	it.each<[string, unknown, string]>([
		[
			'not an array',
			{ role: 'user', content: 'Hi' },
			'Item 1: The messages JSON must be an array of messages, got an object. Expected [{"role": "user", "content": "Hello"}].',
		],
		[
			'a message without a role',
			[{ role: 'system', content: 'Be kind.' }, { content: 'Hi' }],
			'Item 1: Message 1 has no "role". Use one of system, developer, user, assistant, tool.',
		],
		[
			'a message with an unknown role',
			[{ role: 'customer', content: 'Hi' }],
			'Item 1: Message 0 has an unknown role "customer". Use one of system, developer, user, assistant, tool.',
		],
		[
			'a message whose content is neither text nor parts',
			[{ role: 'user', content: 'Hi' }, { role: 'user', content: 42 }],
			'Item 1: Message 1: "content" must be a string or an array of content parts, got a number.',
		],
	])('rejects %s, naming the item and the message', async (_name, messages, message) => {
		const result = await runChat(simulator(), {
			items: [{ messages: good }, { messages } as IDataObject],
			parameters: { messageMode: 'json' },
		});

		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({ message, itemIndex: 1 });
		expect(result.error?.raw.name).toBe('NodeOperationError');
		for (const request of simulator().completions()) expect(sentMessages(request)).toEqual(good);
	});
});

expectLeakScanCoverage(['output', 'error', 'log']);
