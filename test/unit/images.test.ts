import { failureFromResponse } from '../../nodes/shared/transport/errors';
import { fileKind } from '../../nodes/HumirisChat/helpers/image-type';
import { withImages } from '../../nodes/HumirisChat/helpers/images';
import { GIF, HTML, JPEG, PDF, WEBP, png } from '../fixtures/images';

describe('fileKind: what a file is, by its bytes', () => {
	it.each([
		[png(), 'image/png'],
		[JPEG, 'image/jpeg'],
		[GIF, 'image/gif'],
		[Buffer.from('GIF87a\x01\x00', 'latin1'), 'image/gif'],
		[WEBP, 'image/webp'],
	])('takes %#: %s', (bytes, mime) => {
		expect(fileKind(bytes)).toMatchObject({ image: true, mime });
	});

	it.each([
		[PDF, 'PDF document', /Extract From File node/],
		[Buffer.from('PK\x03\x04word/document.xml', 'latin1'), 'ZIP archive or Office document (Word, Excel, PowerPoint)', /Extract From File node/],
		[Buffer.from('BM\x36\x00\x00\x00', 'latin1'), 'BMP image', /Convert it to PNG or JPEG/],
		[Buffer.from('\x00\x00\x00\x18ftypheic', 'latin1'), 'HEIC/AVIF image', /Convert it to PNG or JPEG/],
		[Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'), 'SVG image', /Convert it to PNG or JPEG/],
		[HTML, 'HTML page', /put it in the prompt/],
		[Buffer.from('id,total\n1,20\n'), 'text file', /put it in the prompt/],
		[Buffer.alloc(0), 'empty file', /Check the node/],
		[Buffer.from([0x00, 0x01, 0x02, 0xfe]), 'file of an unknown type', /PNG, JPEG, GIF and WebP/],
		// A RIFF that is not WebP (a WAV file) is no image.
		[Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'), 'file of an unknown type', /PNG, JPEG/],
	])('refuses %#: a %s', (bytes, name, advice) => {
		const kind = fileKind(bytes);
		expect(kind).toMatchObject({ image: false, name });
		expect(kind.image ? '' : kind.advice).toMatch(advice);
	});
});

describe('withImages', () => {
	const image = { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'auto' } };

	it('adds a user message when the conversation has none', () => {
		expect(withImages([{ role: 'system', content: 'Be brief.' }], [image])).toEqual([
			{ role: 'system', content: 'Be brief.' },
			{ role: 'user', content: [image] },
		]);
	});

	it('does not turn an empty text into a text part', () => {
		expect(withImages([{ role: 'user', content: '' }], [image])).toEqual([{ role: 'user', content: [image] }]);
	});
});

describe('a refusal of images', () => {
	it.each([400, 415, 422])('is IMAGE_REFUSED for a %i whose body mentions an image', (status) => {
		expect(failureFromResponse(status, { error: { message: 'image_url is only supported by certain models.' } })).toMatchObject({
			code: 'IMAGE_REFUSED',
			retryable: false,
		});
	});

	it('is IMAGE_REFUSED for a body naming a content part', () => {
		expect(failureFromResponse(400, { message: 'Unknown content part type' }).code).toBe('IMAGE_REFUSED');
	});

	it('leaves other 400s and a 500 naming an image as they were', () => {
		expect(failureFromResponse(400, { message: 'max_tokens must be a positive integer.' }).code).toBe('BAD_REQUEST');
		expect(failureFromResponse(500, { message: 'image service down' }).code).toBe('SERVER_ERROR');
	});

	it('keeps the bytes of an image the API echoed back out of the message and details', () => {
		const data = png().toString('base64');
		const failure = failureFromResponse(400, { error: { message: `Bad image: data:image/png;base64,${data}` } });
		expect(failure.message).toContain('Humiris said: Bad image: data:image/png;base64,…');
		expect(`${failure.message} ${failure.description}`).not.toContain(data.slice(10));
	});
});
