import type { IBinaryKeyData, IDataObject } from 'n8n-workflow';

import { GIF, HTML, JPEG, PDF, WEBP, inMemory, png, seen, sha256 } from '../fixtures/images';
import { expectLeakScanCoverage, outputJson, runChat, sentBodies, useSimulator } from './setup';

/** Images From Binary in n8n's in-memory binary mode; images-filesystem.test.ts covers the filesystem mode. */
const simulator = useSimulator();

const PNG = png();
const noRetries = { maxRetries: 0, maxRateLimitWait: 0 };
const withImages = (fields: string, more: IDataObject = {}) => ({ options: { imageBinaryFields: fields, ...more } });

function lastUserContent(body: IDataObject): unknown {
	const messages = body.messages as IDataObject[];
	return [...messages].reverse().find((message) => message.role === 'user')?.content;
}

/** Whatever the node put where a user or the editor can see it: output JSON, hints and the error. */
function visible(result: Awaited<ReturnType<typeof runChat>>): string {
	return JSON.stringify([outputJson(result), result.hints, result.error?.message, result.error?.description]);
}

describe('Images From Binary: accepted types', () => {
	it.each([
		['PNG', PNG, 'image/png', 'invoice.png'],
		['JPEG', JPEG, 'image/jpeg', 'photo.jpg'],
		['GIF', GIF, 'image/gif', 'anim.gif'],
		['WebP', WEBP, 'image/webp', 'shot.webp'],
	])('sends a %s as an image_url part after the prompt text, with the bytes the item holds', async (_name, bytes, mime, fileName) => {
		const sim = simulator();
		const result = await runChat(sim, {
			items: [{ chatInput: 'What is in this picture?' }],
			binaries: [{ data: inMemory(bytes, mime, fileName) }],
			parameters: withImages('data'),
		});

		expect(result.status).toBe('success');
		expect(lastUserContent(sentBodies(sim)[0])).toEqual([
			{ type: 'text', text: 'What is in this picture?' },
			{ type: 'image_url', image_url: { url: expect.stringMatching(new RegExp(`^data:${mime};base64,`)), detail: 'auto' } },
		]);
		expect(sim.completions()[0].images).toEqual([{ message: 0, mime, bytes: bytes.length, sha256: sha256(bytes), detail: 'auto' }]);
		expect(outputJson(result)[0].content).toBe(`MoAI answer to: What is in this picture? [images: ${seen(bytes, mime)}]`);
	});

	it('sends the type the bytes show when the declared MIME type is another image type', async () => {
		const sim = simulator();
		await runChat(sim, { binaries: [{ data: inMemory(PNG, 'image/jpeg', 'named-wrong.jpg') }], parameters: withImages('data') });

		expect(sim.completions()[0].images).toEqual([expect.objectContaining({ mime: 'image/png', sha256: sha256(PNG) })]);
	});

	it('reads a download typed application/octet-stream by its bytes', async () => {
		const sim = simulator();
		const result = await runChat(sim, { binaries: [{ data: inMemory(JPEG, 'application/octet-stream', 'download') }], parameters: withImages('data') });

		expect(result.status).toBe('success');
		expect(sim.completions()[0].images).toEqual([expect.objectContaining({ mime: 'image/jpeg' })]);
	});

	it('sends Image Detail as OpenAI takes it', async () => {
		const sim = simulator();
		await runChat(sim, { binaries: [{ data: inMemory(PNG, 'image/png', 'a.png') }], parameters: withImages('data', { imageDetail: 'high' }) });

		expect(sim.completions()[0].images?.[0].detail).toBe('high');
	});

	it('sends several named fields in the order named, and counts them in the run summary', async () => {
		const sim = simulator();
		const second = png({ shade: 0x10 });
		const result = await runChat(sim, {
			items: [{ chatInput: 'Compare' }, { chatInput: 'Again' }],
			binaries: [
				{ front: inMemory(PNG, 'image/png', 'front.png'), back: inMemory(second, 'image/png', 'back.png') },
				{ front: inMemory(GIF, 'image/gif', 'front.gif'), back: inMemory(second, 'image/png', 'back.png') },
			],
			parameters: withImages('back, front'),
		});

		expect(sim.completions()[0].images?.map((image) => image.sha256)).toEqual([sha256(second), sha256(PNG)]);
		expect(result.hints.at(-1)?.message).toMatch(/; 4 images sent\.$/);
	});
});

describe('Images From Binary: where the images go', () => {
	it('joins the last user message of a Message List, after its text', async () => {
		const sim = simulator();
		await runChat(sim, {
			binaries: [{ data: inMemory(PNG, 'image/png', 'a.png') }],
			parameters: {
				messageMode: 'messages',
				messages: {
					message: [
						{ role: 'system', content: 'You read receipts.' },
						{ role: 'user', content: 'First question' },
						{ role: 'assistant', content: 'First answer' },
						{ role: 'user', content: 'Read this one' },
					],
				},
				...withImages('data'),
			},
		});

		const [messages] = sentBodies(sim).map((body) => body.messages as IDataObject[]);
		expect(messages.map((message) => (typeof message.content === 'string' ? message.content : 'parts'))).toEqual([
			'You read receipts.',
			'First question',
			'First answer',
			'parts',
		]);
		expect(messages[3].content).toEqual([{ type: 'text', text: 'Read this one' }, expect.objectContaining({ type: 'image_url' })]);
	});

	it('passes the parts a user wrote in Messages (JSON) unchanged, the images after them', async () => {
		const sim = simulator();
		const written = [
			{ type: 'text', text: 'Two pictures:' },
			{ type: 'image_url', image_url: { url: `data:image/gif;base64,${GIF.toString('base64')}` } },
		];
		await runChat(sim, {
			items: [{ messages: [{ role: 'user', content: written }] }],
			binaries: [{ data: inMemory(PNG, 'image/png', 'a.png') }],
			parameters: { messageMode: 'json', ...withImages('data', { imageDetail: 'low' }) },
		});

		expect(lastUserContent(sentBodies(sim)[0])).toEqual([
			...written,
			{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}`, detail: 'low' } },
		]);
	});

	it('re-sends the image with the conversation when a JSON Schema answer is fixed up', async () => {
		const sim = simulator();
		const schema = { type: 'object', properties: { category: { type: 'string', enum: ['billing', 'general'] } }, required: ['category'] };
		const result = await runChat(sim, {
			items: [{ chatInput: 'Which queue? [[sim:schema-miss rule=enum]]' }],
			binaries: [{ data: inMemory(PNG, 'image/png', 'a.png') }],
			parameters: withImages('data', { responseFormat: 'json_schema', jsonSchema: JSON.stringify(schema), schemaRetries: 1 }),
		});

		expect(outputJson(result)[0]).toMatchObject({ attempts: 2 });
		expect(sim.completions().map((request) => request.images?.map((image) => image.sha256))).toEqual([[sha256(PNG)], [sha256(PNG)]]);
		expect(result.hints.at(-1)?.message).toMatch(/; 2 requests sent, .*; 1 image sent\.$/);
	});

	it('sends Messages (JSON) as written when Images From Binary is empty', async () => {
		const sim = simulator();
		const messages = [{ role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/gif;base64,${GIF.toString('base64')}` } }] }];
		await runChat(sim, { items: [{ messages }], binaries: [{ data: inMemory(PNG, 'image/png', 'a.png') }], parameters: { messageMode: 'json' } });

		expect(sentBodies(sim)[0].messages).toEqual(messages);
	});
});

describe('Images From Binary: *', () => {
	it('sends every image on the item and passes over files that are not images', async () => {
		const sim = simulator();
		const result = await runChat(sim, {
			binaries: [
				{
					scan: inMemory(PDF, 'application/pdf', 'scan.pdf'),
					photo: inMemory(JPEG, 'image/jpeg', 'photo.jpg'),
					notes: inMemory(Buffer.from('plain notes'), 'text/plain', 'notes.txt'),
					logo: inMemory(PNG, 'image/png', 'logo.png'),
				},
			],
			parameters: withImages('*'),
		});

		expect(result.status).toBe('success');
		expect(sim.completions()[0].images?.map((image) => image.mime)).toEqual(['image/jpeg', 'image/png']);
	});

	it('sends the question alone when the item has no image', async () => {
		const sim = simulator();
		const result = await runChat(sim, {
			items: [{ chatInput: 'No picture here' }, { chatInput: 'Nor here' }],
			binaries: [null, { scan: inMemory(PDF, 'application/pdf', 'scan.pdf') }],
			parameters: withImages('*'),
		});

		expect(result.status).toBe('success');
		expect(sentBodies(sim).map(lastUserContent)).toEqual(['No picture here', 'Nor here']);
		expect(result.hints.at(-1)?.message).not.toMatch(/image/);
	});
});

describe('Images From Binary: refused before sending', () => {
	it('fails an item whose file is an image by name only, naming field, file and type', async () => {
		const sim = simulator();
		const result = await runChat(sim, { binaries: [{ data: inMemory(HTML, 'image/png', 'screenshot.png') }], parameters: withImages('data') });

		expect(result.error).toMatchObject({
			message:
				'The file "screenshot.png" in binary field "data" is declared image/png, but its bytes are an HTML page, not a PNG, JPEG, GIF or WebP image, so nothing was sent. This is text, not an image: put it in the prompt instead (for example with an expression), or leave this field out of Images From Binary.',
			itemIndex: 0,
		});
		expect(sim.completions()).toHaveLength(0);
	});

	it('fails a PDF with the advice to extract its text', async () => {
		const sim = simulator();
		const result = await runChat(sim, {
			binaries: [{ invoice: inMemory(PDF, 'application/pdf', 'invoice-2024.pdf') }],
			parameters: withImages('invoice'),
			continueOnFail: true,
		});

		expect(outputJson(result)[0].error).toMatchObject({
			code: 'IMAGE_NOT_SUPPORTED',
			message:
				'The file "invoice-2024.pdf" in binary field "invoice" is a PDF document (declared application/pdf), not a PNG, JPEG, GIF or WebP image, so nothing was sent. Humiris Chat sends images only: turn the PDF into text with n8n\'s Extract From File node (operation Extract From PDF) and put that text in the prompt.',
		});
		expect(sim.completions()).toHaveLength(0);
	});

	it('fails a named field the item does not have, naming the fields it has', async () => {
		const sim = simulator();
		const result = await runChat(sim, {
			items: [{ chatInput: 'a' }, { chatInput: 'b' }],
			binaries: [{ data: inMemory(PNG, 'image/png', 'a.png') }, null],
			parameters: withImages('invoice'),
			continueOnFail: true,
		});

		expect(outputJson(result).map((json) => json.error)).toEqual([
			expect.objectContaining({
				code: 'IMAGE_FIELD_MISSING',
				message:
					'Item 0 has no binary field "invoice", which the Images From Binary option names. Its binary fields are "data". Correct the field name in Images From Binary, or use * to send whatever images the item has.',
			}),
			expect.objectContaining({ code: 'IMAGE_FIELD_MISSING', message: expect.stringContaining('Item 1 has no binary field "invoice", which the Images From Binary option names. It has no binary data at all.') }),
		]);
		expect(sim.completions()).toHaveLength(0);
	});

	it('fails an image over 20 MB with its size', async () => {
		const sim = simulator();
		const big = png({ padTo: 21 * 1024 * 1024 });
		const result = await runChat(sim, { binaries: [{ data: inMemory(big, 'image/png', 'poster.png') }], parameters: withImages('data'), continueOnFail: true });

		expect(outputJson(result)[0].error).toMatchObject({
			code: 'IMAGE_TOO_LARGE',
			message: `The file "poster.png" in binary field "data" is 21.0 MB (${big.length.toLocaleString('en-US')} bytes): one image may be at most 20 MB (OpenAI's limit for one image), so nothing was sent. Make it smaller (for example with the Edit Image node's Resize), or leave this field out of Images From Binary.`,
		});
		expect(sim.completions()).toHaveLength(0);
	});

	it('refuses an option value that mixes * with names', async () => {
		const result = await runChat(simulator(), { binaries: [{ data: inMemory(PNG, 'image/png', 'a.png') }], parameters: withImages('data, *'), continueOnFail: true });

		expect(outputJson(result)[0].error).toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringContaining('"Images From Binary" option must be either * alone') });
	});
});

describe('Images From Binary: Humiris refuses images', () => {
	const REFUSED_400 =
		'Humiris (or the models of this MixTuning) did not accept the image sent with this request (HTTP 400). Send it without images, or use a MixTuning whose models read images. Humiris said: Invalid content type. image_url is only supported by certain models.';

	it('fails the item without a retry and says Humiris did not accept the image, with what Humiris said', async () => {
		const sim = simulator();
		sim.setImageSupport(false);
		const result = await runChat(sim, { binaries: [{ data: inMemory(PNG, 'image/png', 'a.png') }], parameters: withImages('data', { maxRetries: 2 }) });

		expect(result.error).toMatchObject({
			message: REFUSED_400,
			description: 'HTTP 400. Humiris said: Invalid content type. image_url is only supported by certain models.',
			httpCode: '400',
			itemIndex: 0,
		});
		expect(result.error?.raw).toMatchObject({ errorResponse: { code: 'IMAGE_REFUSED', retryable: false } });
		expect(sim.completions()).toHaveLength(1);
	});

	it.each([
		[422, 'image-unprocessable'],
		[415, 'image-unprocessable status=415'],
	])('reads a gateway\'s %i naming the image part the same way', async (status, shape) => {
		const sim = simulator();
		const result = await runChat(sim, {
			items: [{ chatInput: `Read it [[sim:reply shape=${shape}]]` }],
			binaries: [{ data: inMemory(PNG, 'image/png', 'a.png') }],
			parameters: withImages('data', noRetries),
			continueOnFail: true,
		});

		expect(outputJson(result)[0].error).toMatchObject({
			code: 'IMAGE_REFUSED',
			status,
			message: `Humiris (or the models of this MixTuning) did not accept the image sent with this request (HTTP ${status}). Send it without images, or use a MixTuning whose models read images. Humiris said: Unsupported content part type 'image_url': this model accepts text only.`,
		});
		expect(sim.completions()).toHaveLength(1);
	});

	it('sends the items without images as usual while refusing the ones with', async () => {
		const sim = simulator();
		sim.setImageSupport(false);
		const result = await runChat(sim, {
			items: [{ chatInput: 'With' }, { chatInput: 'Without' }],
			binaries: [{ data: inMemory(PNG, 'image/png', 'a.png') }, null],
			parameters: withImages('*'),
			continueOnFail: true,
		});

		expect(outputJson(result).map((json) => (json.error as IDataObject | undefined)?.code ?? json.content)).toEqual(['IMAGE_REFUSED', 'MoAI answer to: Without']);
	});
});

describe('Images From Binary: items and output', () => {
	const attachment = (bytes: Buffer, mime: string, name: string): IBinaryKeyData => ({ data: inMemory(bytes, mime, name) });

	it('continues on fail item by item, each output item paired with its input', async () => {
		const sim = simulator();
		const result = await runChat(sim, {
			items: [{ chatInput: 'one' }, { chatInput: 'two' }, { chatInput: 'three' }],
			binaries: [attachment(PNG, 'image/png', '1.png'), attachment(PDF, 'application/pdf', '2.pdf'), attachment(GIF, 'image/gif', '3.gif')],
			parameters: withImages('data'),
			continueOnFail: true,
		});

		expect(result.items[0].map(({ json, pairedItem }) => [(json.error as IDataObject | undefined)?.code ?? 'answered', pairedItem])).toEqual([
			['answered', { item: 0 }],
			['IMAGE_NOT_SUPPORTED', { item: 1 }],
			['answered', { item: 2 }],
		]);
		expect(result.hints.at(-1)?.message).toMatch(/^Run summary: 2 answered, 1 failed; .*; 2 images sent\.$/);
	});

	it('keeps the input binary on the output item with Keep Input Fields, and its bytes out of the JSON', async () => {
		const sim = simulator();
		const result = await runChat(sim, {
			items: [{ chatInput: 'Read it', ticket: 9 }, { chatInput: 'And this', ticket: 10 }],
			binaries: [attachment(PNG, 'image/png', 'ok.png'), attachment(PDF, 'application/pdf', 'no.pdf')],
			parameters: withImages('data', { keepInputFields: true }),
			continueOnFail: true,
		});

		const [answered, failed] = result.items[0];
		expect(answered.json).toMatchObject({ ticket: 9, response: { content: expect.stringContaining(sha256(PNG)) } });
		expect(answered.binary?.data).toMatchObject({ mimeType: 'image/png', fileName: 'ok.png', data: PNG.toString('base64') });
		expect(failed.json).toMatchObject({ ticket: 10, error: { code: 'IMAGE_NOT_SUPPORTED' } });
		expect(failed.binary?.data).toMatchObject({ fileName: 'no.pdf' });
		expect(JSON.stringify(result.items[0].map(({ json }) => json))).not.toContain(PNG.toString('base64').slice(8, 40));
	});

	it('never puts image bytes in output JSON, hints or errors', async () => {
		const sim = simulator();
		const photo = png({ width: 40, height: 40, shade: 0x33 });
		const base64 = photo.toString('base64');
		const echoed = { data: inMemory(photo, 'image/png', 'echo.png') };
		sim.setImageSupport(false);
		const refused = await runChat(sim, { binaries: [echoed], parameters: withImages('data') });
		sim.setImageSupport(true);
		const answered = await runChat(sim, { binaries: [echoed], parameters: withImages('data') });

		expect(refused.error?.message).toContain('did not accept the image');
		expect(outputJson(answered)[0].content).toContain(sha256(photo));
		for (const result of [refused, answered]) expect(visible(result)).not.toContain(base64.slice(20, 60));
	});
});

expectLeakScanCoverage(['output', 'error']);
