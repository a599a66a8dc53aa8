import { shapeForLangChain } from '../../nodes/LmChatHumiris/helpers/langchain-shape';

/** A stand-in for the SDK's adapter: only the fields the shaping reads and sets. */
interface Chunk {
	message: { content: unknown; lc_kwargs?: Record<string, unknown>; tool_call_chunks?: Array<{ name: string; index?: number }> };
}

function fakeAdapter(content: unknown, chunks: Chunk[]) {
	const adapter = {
		bound: [] as unknown[],
		async _generate() {
			return {
				generations: [
					{ text: 'x', message: { content: structuredClone(content), lc_kwargs: { content: structuredClone(content) }, response_metadata: { finish_reason: 'stop' } } },
				],
			};
		},
		async *_streamResponseChunks() {
			yield* structuredClone(chunks);
		},
		bindTools(tools: unknown[]): unknown {
			const next = fakeAdapter(content, chunks);
			next.bound = tools;
			return next;
		},
	};
	return adapter;
}

async function collect(stream: AsyncIterable<Chunk>): Promise<Chunk[]> {
	const out: Chunk[] = [];
	for await (const chunk of stream) out.push(chunk);
	return out;
}

describe('shapeForLangChain', () => {
	it('gives text-only content as a string, in the message and in what LangChain serialises', async () => {
		const model = shapeForLangChain(fakeAdapter([{ type: 'text', text: 'Hello ' }, { type: 'text', text: 'there' }], []));
		const [generation] = (await model._generate()).generations;
		expect(generation.message.content).toBe('Hello there');
		expect(generation.message.lc_kwargs.content).toBe('Hello there');
		expect(generation).toMatchObject({ generationInfo: { finish_reason: 'stop' } });
	});

	it('leaves content with other parts as it is', async () => {
		const parts = [{ type: 'text', text: 'a' }, { type: 'invalid_tool_call', name: 'x' }];
		const model = shapeForLangChain(fakeAdapter(parts, []));
		expect((await model._generate()).generations[0].message.content).toEqual(parts);
	});

	it('shapes the model bindTools returns, and that one\'s bindTools too', async () => {
		const model = shapeForLangChain(fakeAdapter([{ type: 'text', text: 'hi' }], []));
		const bound = model.bindTools(['tool']) as ReturnType<typeof fakeAdapter>;
		expect(bound.bound).toEqual(['tool']);
		expect((await bound._generate()).generations[0].message.content).toBe('hi');
		const again = bound.bindTools([]) as ReturnType<typeof fakeAdapter>;
		expect((await again._generate()).generations[0].message.content).toBe('hi');
	});

	it('gives each streamed tool call an index of its own (the adapter files all under 0, without ids here)', async () => {
		const chunks: Chunk[] = [
			{ message: { content: [{ type: 'text', text: 'Let me check.' }] } },
			{ message: { content: '', tool_call_chunks: [{ name: 'calculator', index: 0 }] } },
			{ message: { content: '', tool_call_chunks: [{ name: 'order_lookup', index: 0 }] } },
			{ message: { content: '' } },
		];
		const model = shapeForLangChain(fakeAdapter([], chunks));
		const out = await collect((model.bindTools([]) as ReturnType<typeof fakeAdapter>)._streamResponseChunks());
		expect(out.map((chunk) => chunk.message.content)).toEqual(['Let me check.', '', '', '']);
		expect(out.flatMap((chunk) => chunk.message.tool_call_chunks ?? [])).toEqual([
			{ name: 'calculator', index: 0 },
			{ name: 'order_lookup', index: 1 },
		]);
	});

	it('returns anything that is not such an adapter untouched', () => {
		const other = { invoke: () => 'x' };
		expect(shapeForLangChain(other)).toBe(other);
		expect(shapeForLangChain(undefined)).toBeUndefined();
	});
});
