/**
 * What a file is, judged by its first bytes: a declared MIME type is only what the node that
 * made the file guessed (a download is often application/octet-stream, a mislabelled file
 * says image/png), and an API told the wrong type may refuse the image or misread it.
 */

export type ImageMime = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

/** What the node can send. */
export interface ImageKind {
	image: true;
	mime: ImageMime;
	name: string;
}

/** What it cannot, with what to do instead. */
export interface OtherKind {
	image: false;
	name: string;
	advice: string;
}

export type FileKind = ImageKind | OtherKind;

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) =>
	bytes.length >= at + signature.length && signature.every((byte, index) => bytes[at + index] === byte);

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

const CONVERT =
	'Convert it to PNG or JPEG first (for example with the Edit Image node), or leave this field out of Images From Binary.';

const IMAGES: Array<{ mime: ImageMime; name: string; test: (bytes: Uint8Array) => boolean }> = [
	{ mime: 'image/png', name: 'PNG image', test: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
	{ mime: 'image/jpeg', name: 'JPEG image', test: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
	{ mime: 'image/gif', name: 'GIF image', test: (b) => startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a')) },
	{ mime: 'image/webp', name: 'WebP image', test: (b) => startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8) },
];

const OTHERS: Array<{ name: string; advice: string; test: (bytes: Uint8Array) => boolean }> = [
	{
		name: 'PDF document',
		advice:
			"Humiris Chat sends images only: turn the PDF into text with n8n's Extract From File node (operation Extract From PDF) and put that text in the prompt.",
		test: (b) => startsWith(b, ascii('%PDF-')),
	},
	{
		name: 'ZIP archive or Office document (Word, Excel, PowerPoint)',
		advice: "Humiris Chat sends images only: turn the document into text with n8n's Extract From File node and put that text in the prompt.",
		test: (b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]),
	},
	{ name: 'BMP image', advice: CONVERT, test: (b) => startsWith(b, ascii('BM')) },
	{ name: 'TIFF image', advice: CONVERT, test: (b) => startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]) },
	{ name: 'HEIC/AVIF image', advice: CONVERT, test: (b) => startsWith(b, ascii('ftyp'), 4) },
];

const TEXT_ADVICE =
	'This is text, not an image: put it in the prompt instead (for example with an expression), or leave this field out of Images From Binary.';

/** Printable text in the first bytes: an SVG, an HTML error page saved as a file, a CSV. */
function looksLikeText(bytes: Uint8Array): string | undefined {
	const head = bytes.subarray(0, 512);
	if (head.length === 0) return undefined;
	const printable = head.every((byte) => byte === 0x09 || byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte !== 0x7f));
	if (!printable) return undefined;
	const start = String.fromCharCode(...head).trimStart().toLowerCase();
	if (start.startsWith('<svg') || (start.startsWith('<?xml') && start.includes('<svg'))) return 'SVG image';
	if (start.startsWith('<!doctype html') || start.startsWith('<html')) return 'HTML page';
	return 'text file';
}

/** A kind as a message says it: "a PDF document", "an HTML page" (of the names above, those read with a vowel sound). */
export function withArticle(kind: string): string {
	return `${/^(HTML|SVG|empty)\b/.test(kind) ? 'an' : 'a'} ${kind}`;
}

export function fileKind(bytes: Uint8Array): FileKind {
	const image = IMAGES.find((candidate) => candidate.test(bytes));
	if (image) return { image: true, mime: image.mime, name: image.name };
	const other = OTHERS.find((candidate) => candidate.test(bytes));
	if (other) return { image: false, name: other.name, advice: other.advice };
	const text = looksLikeText(bytes);
	if (text === 'SVG image') return { image: false, name: text, advice: CONVERT };
	if (text) return { image: false, name: text, advice: TEXT_ADVICE };
	if (bytes.length === 0) return { image: false, name: 'empty file', advice: 'Check the node that made this file.' };
	return {
		image: false,
		name: 'file of an unknown type',
		advice: 'Humiris Chat sends PNG, JPEG, GIF and WebP images only. Convert the file, or leave this field out of Images From Binary.',
	};
}
