import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import type { ChatMessage, ContentPart } from '../../shared/api-types';
import { SettingError } from '../../shared/settings/setting';
import type { CompletionRequest } from '../../shared/transport/request';
import type { ImageFields } from '../options/images';
import { fileKind, withArticle } from './image-type';

/** OpenAI's limit for one image; a bigger one would be refused after paying for the upload. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

const FIELD = 'Images From Binary';

export interface ImagePlan {
	fields: ImageFields;
	detail: string;
}

/** What reading an item's images needs: n8n's binary helpers, so every binary data mode works. */
export type BinarySource = Pick<IExecuteFunctions, 'getInputData'> & {
	helpers: Pick<IExecuteFunctions['helpers'], 'assertBinaryData' | 'getBinaryDataBuffer'>;
};

/** n8n hands binary data over as Node's Buffer, whose base64 encoder is native. */
type NodeBuffer = Uint8Array & { toString(encoding: 'base64'): string };

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB (${bytes.toLocaleString('en-US')} bytes)`;

function fileLabel(name: string, binary: IBinaryData): string {
	return binary.fileName ? `The file "${binary.fileName}" in binary field "${name}"` : `The file in binary field "${name}"`;
}

const declaredImage = (mime: string) => /^image\//i.test(mime);

/** With `*`, a field is looked at when it says it is an image, or says nothing useful about itself. */
function mayBeImage(binary: IBinaryData): boolean {
	const mime = binary.mimeType ?? '';
	return declaredImage(mime) || mime === '' || /octet-stream/i.test(mime);
}

function tooLarge(name: string, binary: IBinaryData, bytes: number): SettingError {
	return new SettingError(
		FIELD,
		`${fileLabel(name, binary)} is ${megabytes(bytes)}: one image may be at most 20 MB (OpenAI's limit for one image), so nothing was sent. Make it smaller (for example with the Edit Image node's Resize), or leave this field out of ${FIELD}.`,
		'IMAGE_TOO_LARGE',
	);
}

function missingField(name: string, itemIndex: number, present: string[]): SettingError {
	const has = present.length ? `Its binary fields are ${present.map((field) => `"${field}"`).join(', ')}.` : 'It has no binary data at all.';
	return new SettingError(
		FIELD,
		`Item ${itemIndex} has no binary field "${name}", which the ${FIELD} option names. ${has} Correct the field name in ${FIELD}, or use * to send whatever images the item has.`,
		'IMAGE_FIELD_MISSING',
	);
}

/** One image part, or undefined for a field `*` passes over because it is not an image. */
async function imagePart(
	source: BinarySource,
	itemIndex: number,
	name: string,
	detail: string,
	every: boolean,
): Promise<ContentPart | undefined> {
	const binary = source.helpers.assertBinaryData(itemIndex, name);
	const declared = binary.mimeType ?? '';
	if (every && !mayBeImage(binary)) return undefined;
	// The size n8n recorded for the file: a 500 MB video is refused without being read.
	if (typeof binary.bytes === 'number' && binary.bytes > MAX_IMAGE_BYTES) {
		if (every && !declaredImage(declared)) return undefined;
		throw tooLarge(name, binary, binary.bytes);
	}
	const bytes = (await source.helpers.getBinaryDataBuffer(itemIndex, name)) as NodeBuffer;
	const kind = fileKind(bytes);
	if (!kind.image) {
		if (every && !declaredImage(declared)) return undefined;
		const what = declaredImage(declared)
			? `is declared ${declared}, but its bytes are ${withArticle(kind.name)}, not a PNG, JPEG, GIF or WebP image`
			: `is ${withArticle(kind.name)}${declared ? ` (declared ${declared})` : ''}, not a PNG, JPEG, GIF or WebP image`;
		throw new SettingError(FIELD, `${fileLabel(name, binary)} ${what}, so nothing was sent. ${kind.advice}`, 'IMAGE_NOT_SUPPORTED');
	}
	if (bytes.length > MAX_IMAGE_BYTES) throw tooLarge(name, binary, bytes.length);
	// The type the bytes show, not the declared one: an API told the wrong type may refuse the image.
	return { type: 'image_url', image_url: { url: `data:${kind.mime};base64,${bytes.toString('base64')}`, detail } };
}

/** Every image the plan asks for, read one at a time so one item holds one file's bytes at once. */
async function readImageParts(source: BinarySource, itemIndex: number, plan: ImagePlan): Promise<ContentPart[]> {
	const present = Object.keys(source.getInputData()[itemIndex]?.binary ?? {});
	const names = plan.fields.every ? present : plan.fields.names;
	const parts: ContentPart[] = [];
	for (const name of names) {
		if (!present.includes(name)) throw missingField(name, itemIndex, present);
		const part = await imagePart(source, itemIndex, name, plan.detail, plan.fields.every);
		if (part) parts.push(part);
	}
	return parts;
}

/** The images join the last user message after what it already holds; parts the user wrote stay as they are. */
export function withImages(messages: ChatMessage[], images: ContentPart[]): ChatMessage[] {
	const last = messages.map((message) => message.role).lastIndexOf('user');
	if (last === -1) return [...messages, { role: 'user', content: images }];
	return messages.map((message, index) => {
		if (index !== last) return message;
		const { content } = message;
		const before: ContentPart[] = typeof content === 'string' ? (content === '' ? [] : [{ type: 'text', text: content }]) : (content ?? []);
		return { ...message, content: [...before, ...images] };
	});
}

/**
 * The item's request with its images, built when the request is about to go: a run of many
 * items holds only the images of the requests in flight, never every item's at once.
 */
export async function attachImages(
	source: BinarySource,
	itemIndex: number,
	request: CompletionRequest,
	plan: ImagePlan,
): Promise<{ request: CompletionRequest; count: number }> {
	const images = await readImageParts(source, itemIndex, plan);
	if (images.length === 0) return { request, count: 0 };
	const messages = withImages(request.body.messages as ChatMessage[], images);
	return { request: { ...request, body: { ...request.body, messages } }, count: images.length };
}
