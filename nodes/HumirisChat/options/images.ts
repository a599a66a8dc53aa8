import { choiceSetting, refuse, textOf, type Setting } from '../../shared/settings/setting';

/** Which of the item's binary fields go with the question: named ones, or every image on it. */
export type ImageFields = { every: true } | { every: false; names: string[] };

const DISPLAY_NAME = 'Images From Binary';

/** Blank means no images; `*` alone means every image; otherwise names, comma-separated. */
function readImageFields(value: unknown): ImageFields | undefined {
	if (value === undefined || value === null) return undefined;
	const text = textOf(value);
	if (text === undefined) throw refuse(DISPLAY_NAME, 'option', 'must be binary field names separated by commas, or *', value);
	const names = text
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
	if (names.length === 0) return undefined;
	if (names.includes('*')) {
		if (names.length > 1) throw refuse(DISPLAY_NAME, 'option', 'must be either * alone or binary field names, not both', value);
		return { every: true };
	}
	return { every: false, names: [...new Set(names)] };
}

const imageBinaryFields: Setting<ImageFields | undefined> = {
	property: {
		displayName: DISPLAY_NAME,
		name: 'imageBinaryFields',
		type: 'string',
		default: '',
		placeholder: 'e.g. data, attachment_0',
		description:
			'The binary fields of the item whose images (PNG, JPEG, GIF or WebP, at most 20 MB each) go with the question, separated by commas, or * for every image on the item. They are added to the last user message, after its text.',
	},
	read: readImageFields,
};

export const IMAGE_OPTIONS = {
	imageBinaryFields,
	imageDetail: choiceSetting({
		name: 'imageDetail',
		displayName: 'Image Detail',
		default: 'auto',
		description: 'How closely the model looks at each image from "Images From Binary", as OpenAI\'s API takes it',
		choices: [
			{ name: 'Auto', value: 'auto', description: 'The model decides' },
			{ name: 'Low', value: 'low', description: 'A small, cheap look at the whole image' },
			{ name: 'High', value: 'high', description: 'A close look, for small print; costs more tokens' },
		],
	}),
};
