import type { BinaryDataService } from 'n8n-core';

import { storeBinary, useFilesystemBinaryData } from '../engine/binary-data';
import { JPEG, PDF, png, sha256 } from '../fixtures/images';
import { expectLeakScanCoverage, outputJson, runChat, useSimulator } from './setup';

/**
 * Images From Binary in n8n's filesystem binary mode (n8n 2.x's default): the item carries an
 * id, the bytes are in a file, and the node must read them through n8n's helpers.
 */
const simulator = useSimulator();
let binaryData: BinaryDataService;

beforeAll(async () => {
	binaryData = await useFilesystemBinaryData();
});

describe('Images From Binary, filesystem binary mode', () => {
	it('sends the bytes of the file the item points to', async () => {
		const sim = simulator();
		const image = png({ width: 8, height: 8, shade: 0x42 });
		const stored = await storeBinary(binaryData, image, 'image/png', 'receipt.png');
		expect(stored).toMatchObject({ id: expect.stringMatching(/^filesystem-v2:/), data: 'filesystem-v2' });

		const result = await runChat(sim, { items: [{ chatInput: 'Read the receipt' }], binaries: [{ data: stored }], parameters: { options: { imageBinaryFields: 'data' } } });

		expect(result.status).toBe('success');
		expect(sim.completions()[0].images).toEqual([{ message: 0, mime: 'image/png', bytes: image.length, sha256: sha256(image), detail: 'auto' }]);
		expect(outputJson(result)[0].content).toContain(sha256(image));
	});

	it('finds every image with *, and fails a PDF named outright', async () => {
		const sim = simulator();
		const photo = await storeBinary(binaryData, JPEG, 'image/jpeg', 'photo.jpg');
		const scan = await storeBinary(binaryData, PDF, 'application/pdf', 'scan.pdf');

		const every = await runChat(sim, { binaries: [{ photo, scan }], parameters: { options: { imageBinaryFields: '*' } } });
		const named = await runChat(sim, { binaries: [{ photo, scan }], parameters: { options: { imageBinaryFields: 'scan' } }, continueOnFail: true });

		expect(every.status).toBe('success');
		expect(sim.completions()[0].images?.map((image) => image.sha256)).toEqual([sha256(JPEG)]);
		expect(outputJson(named)[0].error).toMatchObject({ code: 'IMAGE_NOT_SUPPORTED', message: expect.stringContaining('"scan.pdf" in binary field "scan" is a PDF document') });
		expect(sim.completions()).toHaveLength(1);
	});

	it('refuses an image over 20 MB by the size n8n recorded', async () => {
		const sim = simulator();
		const big = png({ padTo: 20 * 1024 * 1024 + 1 });
		const stored = await storeBinary(binaryData, big, 'image/png', 'poster.png');
		expect(stored.bytes).toBe(big.length);

		const result = await runChat(sim, { binaries: [{ data: stored }], parameters: { options: { imageBinaryFields: 'data' } }, continueOnFail: true });

		expect(outputJson(result)[0].error).toMatchObject({ code: 'IMAGE_TOO_LARGE', message: expect.stringContaining('is 20.0 MB (20,971,521 bytes): one image may be at most 20 MB') });
		expect(sim.completions()).toHaveLength(0);
	});

	it('carries the reference to the file on with Keep Input Fields', async () => {
		const sim = simulator();
		const stored = await storeBinary(binaryData, png(), 'image/png', 'kept.png');

		const result = await runChat(sim, { binaries: [{ data: stored }], parameters: { options: { imageBinaryFields: 'data', keepInputFields: true } } });

		expect(result.items[0][0].binary?.data).toMatchObject({ id: stored.id, fileName: 'kept.png', mimeType: 'image/png' });
		expect(result.hints.at(-1)?.message).toMatch(/; 1 image sent\.$/);
	});
});

expectLeakScanCoverage(['output']);
