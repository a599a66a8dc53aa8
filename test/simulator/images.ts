/**
 * OpenAI's image content parts, as a vision model takes them: each data URL is decoded and its
 * bytes checked against the type it claims, and the answer names each image's size and
 * SHA-256, so a test proves which bytes went out. A text-only model refuses them instead.
 */
import { createHash } from 'node:crypto';

import type { ApiReply } from './contract';

export interface ImagePart {
	type: 'image_url';
	image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}

/** One image as the simulated model saw it. */
export interface SeenImage {
	/** Index of the message that carried it. */
	message: number;
	mime: string;
	bytes: number;
	sha256: string;
	detail?: string;
}

const DETAILS = new Set(['auto', 'low', 'high']);

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isImagePart(value: unknown): value is ImagePart {
	if (!isRecord(value) || value.type !== 'image_url' || !isRecord(value.image_url)) return false;
	const { url, detail } = value.image_url;
	return typeof url === 'string' && (detail === undefined || (typeof detail === 'string' && DETAILS.has(detail)));
}

const SIGNATURES: Array<[string, (bytes: Buffer) => boolean]> = [
	['image/png', (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))],
	['image/jpeg', (b) => b.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))],
	['image/gif', (b) => ['GIF87a', 'GIF89a'].includes(b.subarray(0, 6).toString('latin1'))],
	['image/webp', (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP'],
];

/** What the bytes are, independently of the node's own judgement. */
export function sniffImage(bytes: Buffer): string | undefined {
	return SIGNATURES.find(([, test]) => test(bytes))?.[0];
}

const DATA_URL = /^data:([^;,]+);base64,([A-Za-z0-9+/]*={0,2})$/;

export function imagesOf(messages: Array<{ content: unknown }>): Array<{ message: number; part: ImagePart }> {
	return messages.flatMap((message, index) =>
		Array.isArray(message.content) ? message.content.filter(isImagePart).map((part) => ({ message: index, part })) : [],
	);
}

/** Every image part decoded and checked, or the 400 an OpenAI-compatible server answers for a bad one. */
export function inspectImages(messages: Array<{ content: unknown }>): { ok: true; images: SeenImage[] } | { ok: false; reply: ApiReply } {
	const images: SeenImage[] = [];
	for (const { message, part } of imagesOf(messages)) {
		const refuse = (why: string): { ok: false; reply: ApiReply } => ({
			ok: false,
			reply: { status: 400, body: { error: { message: `messages[${message}]: ${why}`, type: 'invalid_request_error', param: 'messages', code: 'invalid_image' } } },
		});
		const match = DATA_URL.exec(part.image_url.url);
		if (!match) return refuse('image_url.url must be a base64 data URL (data:<type>;base64,<data>).');
		const bytes = Buffer.from(match[2], 'base64');
		const actual = sniffImage(bytes);
		if (actual === undefined) return refuse(`the image data is not a PNG, JPEG, GIF or WebP image (it claims ${match[1]}).`);
		if (actual !== match[1]) return refuse(`the image claims ${match[1]} but its bytes are ${actual}.`);
		images.push({ message, mime: actual, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), detail: part.image_url.detail });
	}
	return { ok: true, images };
}

/** What OpenAI answers when a text-only model is sent an image part. */
export function imagesRefused(messages: Array<{ content: unknown }>): ApiReply {
	const [first] = imagesOf(messages);
	const index = Array.isArray(messages[first.message].content) ? (messages[first.message].content as unknown[]).indexOf(first.part) : 0;
	return {
		status: 400,
		body: {
			error: {
				message: 'Invalid content type. image_url is only supported by certain models.',
				type: 'invalid_request_error',
				param: `messages.[${first.message}].content.[${index}].type`,
				code: null,
			},
		},
	};
}

/** Appended to the simulated answer: the images it saw, in order. */
export function describeImages(images: SeenImage[] | undefined): string {
	if (!images?.length) return '';
	return ` [images: ${images.map((image, index) => `#${index + 1} ${image.mime} ${image.bytes} bytes sha256=${image.sha256} detail=${image.detail ?? 'none'}`).join('; ')}]`;
}

/** The request as logged: each image's data cut to its first characters, so a log of many large images stays small. */
export function withShortImageData(body: unknown): unknown {
	if (!isRecord(body) || !Array.isArray(body.messages)) return body;
	const shorten = (part: unknown) =>
		isImagePart(part) && part.image_url.url.length > 120
			? { ...part, image_url: { ...part.image_url, url: `${part.image_url.url.slice(0, 100)}…(${part.image_url.url.length} characters)` } }
			: part;
	return {
		...body,
		messages: body.messages.map((message: unknown) =>
			isRecord(message) && Array.isArray(message.content) ? { ...message, content: message.content.map(shorten) } : message,
		),
	};
}
